// Copies a text to the clipboard and says so.
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(undefined), 2000);
  };
  return (
    <button type="button" className="button-small" onClick={copy} aria-live="polite">
      {copied === 'yes' ? 'Copied ✓' : copied === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}
