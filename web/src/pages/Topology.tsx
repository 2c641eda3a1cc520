import { Empty } from '../components/ui.tsx';

export function Topology() {
  return <Empty />;
}
