import { Empty } from '../components/ui.tsx';

export function Mib() {
  return <Empty />;
}
