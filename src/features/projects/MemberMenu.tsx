/** A member's "More" menu in Settings → Members (components/MenuButton.tsx). */
import { MenuButton, type MenuItem } from '../../components/MenuButton.tsx';
import { t } from '../../i18n/i18n.ts';

export type { MenuItem };

export const MemberMenu = ({ who, items }: { who: string; items: MenuItem[] }) => <MenuButton label={t('settings.members.moreFor', { who })} items={items} />;
