import { Empty } from '../components/ui.tsx';

export function Events() {
  return <Empty />;
}
