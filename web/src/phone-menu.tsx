/** The navigation as a menu, on a phone (React Aria: keyboard and screen reader behaviour of a real menu). */
import { Button, Menu, MenuItem, MenuTrigger, Popover, Separator } from 'react-aria-components';
import { roleLabel } from './labels.ts';
import type { Me } from './session.tsx';
import type { NavItem } from './shell.tsx';

export default function PhoneMenu({ items, me, path, onSignOut }: { items: NavItem[]; me: Me; path: string; onSignOut: () => void }) {
  const signOut = onSignOut;
  return (
    <MenuTrigger>
      <Button className="nav-menu quiet" aria-label="Menu">
        ☰ Menu
      </Button>
      <Popover className="popover" placement="bottom end">
        <Menu
          className="menu"
          aria-label="Main menu"
          onAction={(key) => {
            if (key === 'sign-out') signOut();
          }}
        >
          {items.map((i) => (
            <MenuItem key={i.to} id={i.to} href={i.to} className={path === i.to ? 'menu-item current' : 'menu-item'}>
              {i.label}
            </MenuItem>
          ))}
          <Separator />
          <MenuItem id="/profile" href="/profile" className="menu-item">
            My profile ({roleLabel(me.role)})
          </MenuItem>
          <MenuItem id="sign-out" className="menu-item">
            Sign out
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
