/** A form's or button's work: its error in words, or what it did, shown where it was asked. */
import { type ReactNode, useState } from 'react';
import { type ApiError, asApiError } from '../api/client.ts';
import { ErrorNote } from './page.tsx';

export function useAction() {
  const [error, setError] = useState<ApiError>();
  const [message, setMessage] = useState<ReactNode>();
  const run = async (work: () => Promise<ReactNode>) => {
    setError(undefined);
    setMessage(undefined);
    try {
      setMessage(await work());
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const feedback: ReactNode = (
    <>
      <ErrorNote error={error} />
      {message ? (
        <div className="note" role="status">
          {message}
        </div>
      ) : null}
    </>
  );
  return { run, feedback };
}
