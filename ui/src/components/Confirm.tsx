import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A modal confirmation for destructive actions (a native <dialog>: focus trap and Escape come with it). */
export function Confirm({ title, children, confirmLabel, danger, onConfirm, onCancel }: {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} class="confirm" data-testid="confirm" onCancel={e => { e.preventDefault(); onCancel(); }}>
      <h2>{title}</h2>
      <div class="confirm-body">{children}</div>
      <div class="actions">
        <button type="button" onClick={onCancel} data-testid="confirm-cancel">Cancel</button>
        <button type="button" class={danger ? 'danger' : 'primary'} onClick={onConfirm} data-testid="confirm-ok">{confirmLabel}</button>
      </div>
    </dialog>
  );
}
