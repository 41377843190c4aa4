/** A modal dialog with a title, controlled by its opener (React Aria: focus kept inside, Escape closes). */
import type { ReactNode } from 'react';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

export function Dialog({
  title,
  open,
  onClose,
  children,
  role = 'dialog',
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
}) {
  return (
    <ModalOverlay className="overlay" isOpen={open} onOpenChange={(o) => !o && onClose()} isDismissable>
      <Modal className="modal">
        <AriaDialog className="dialog" role={role}>
          <Heading slot="title">{title}</Heading>
          {children}
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
