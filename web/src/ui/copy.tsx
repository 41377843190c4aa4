/** A secret or address shown once, with a button that copies it. */
import { Button } from 'react-aria-components';
import { toast } from './toast.tsx';

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast('Copied to the clipboard');
    } catch {
      toast('The browser did not allow copying: select the text and copy it');
    }
  };
  return (
    <Button className="button small" onPress={() => void copy()}>
      {label}
    </Button>
  );
}

export function Secret({ value, label }: { value: string; label: string }) {
  return (
    <p className="secret">
      <code className="wrap" aria-label={label}>
        {value}
      </code>{' '}
      <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
    </p>
  );
}
