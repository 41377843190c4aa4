import type { FormEvent } from 'react';

/** A text field of a submitted form, trimmed ('' when absent or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A submit handler that stays on the page and hands `work` the form's data (and the form). */
export const submitted =
  (work: (data: FormData, form: HTMLFormElement) => void) =>
  (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    work(new FormData(e.currentTarget), e.currentTarget);
  };
