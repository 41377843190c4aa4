/** Short confirmations ("Copied", "Saved") in one polite region: React Aria's toast queue. */
import {
  Button,
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components';

export const toasts = new ToastQueue<{ title: string }>({ maxVisibleToasts: 3 });

export const toast = (title: string): void => {
  toasts.add({ title }, { timeout: 5000 });
};

export function Toasts() {
  return (
    <ToastRegion queue={toasts} className="toasts">
      {({ toast: t }) => (
        <Toast toast={t} className="toast">
          <ToastContent>
            <Text slot="title">{t.content.title}</Text>
          </ToastContent>
          <Button slot="close" className="quiet" aria-label="Dismiss">
            ×
          </Button>
        </Toast>
      )}
    </ToastRegion>
  );
}
