// Empty, info and error states: what happened and what to do.
import type { ReactNode } from 'react';

export function Notice({ tone, title, children }: { tone: 'info' | 'error' | 'empty'; title: string; children?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}
