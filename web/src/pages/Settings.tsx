import { Empty } from '../components/ui.tsx';

export function Settings() {
  return <Empty />;
}
