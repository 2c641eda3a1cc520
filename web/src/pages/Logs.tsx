import { Empty } from '../components/ui.tsx';

export function Logs() {
  return <Empty />;
}
