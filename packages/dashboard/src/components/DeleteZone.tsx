// Deleting something for good: the user types its name before the button works; then `onDeleted`.
import { useState } from 'react';
import { api } from '../lib/api.js';
import { useAction } from '../lib/use-api.js';

export function DeleteZone({ title, explanation, confirmWord, confirmLabel, url, onDeleted }: { title: string; explanation: string; confirmWord: string; confirmLabel: string; url: string; onDeleted: () => void }) {
  const [error, run] = useAction();
  const [typed, setTyped] = useState('');
  return (
    <section className="card danger">
      <h2>{title}</h2>
      <p className="muted small">{explanation}</p>
      <div className="inline-form">
        <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={`Type “${confirmWord}” to confirm`} aria-label={confirmLabel} />
        <button className="button-danger" disabled={typed !== confirmWord} onClick={() => void run(() => api(url, { method: 'DELETE' })).then((ok) => ok && onDeleted())}>
          Delete
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}
