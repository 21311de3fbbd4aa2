// Clipboard access that also works on plain http (where navigator.clipboard does not exist).

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

/** Text from the clipboard, or undefined where the browser does not let pages read it (then Ctrl+Shift+V works). */
export async function readText(): Promise<string | undefined> {
  try {
    if (navigator.clipboard?.readText && window.isSecureContext) return await navigator.clipboard.readText();
  } catch {
    // permission refused
  }
  return undefined;
}

export const canReadClipboard = () => typeof navigator !== 'undefined' && !!navigator.clipboard?.readText && window.isSecureContext;
