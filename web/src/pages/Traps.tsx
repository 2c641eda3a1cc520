import { Empty } from '../components/ui.tsx';

export function Traps() {
  return <Empty />;
}
