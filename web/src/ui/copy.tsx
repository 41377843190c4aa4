/** A secret or address shown once, with a button that copies it. */
import { useId } from 'react';
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

/** Read-only, so it can be selected by hand too; named by its label. */
export function Secret({ value, label }: { value: string; label: string }) {
  const id = useId();
  return (
    <div className="secret">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="secret-value" readOnly value={value} size={Math.min(Math.max(value.length, 20), 60)} spellCheck={false} />
      <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}
