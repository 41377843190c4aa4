/**
 * A link for long lists (the dashboard's 200 rows): a plain anchor whose click the router
 * handles, without a router subscription per row.
 */
import { useNavigate } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

export function PlainLink({ href, children }: { href: string; children: ReactNode }) {
  const navigate = useNavigate();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate({ href });
  };
  return (
    <a href={href} onClick={onClick}>
      {children}
    </a>
  );
}
