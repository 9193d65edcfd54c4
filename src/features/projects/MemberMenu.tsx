/** A member's "More" menu in Settings → Members (components/MenuButton.tsx). */
import { MenuButton, type MenuItem } from '../../components/MenuButton.tsx';

export type { MenuItem };

export const MemberMenu = ({ who, items }: { who: string; items: MenuItem[] }) => <MenuButton label={`More for ${who}`} items={items} />;
