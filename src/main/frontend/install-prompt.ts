/**
 * The browser's offer to install the app (`beforeinstallprompt`, Chromium's), kept from page load so an
 * "Install RelayPACS" button can use it later; browsers that do not offer it simply never show the button.
 */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let offered: InstallPromptEvent | undefined;
const listeners = new Set<() => void>();

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault(); // shown by our button, where the user sends images, not as the browser's banner
    offered = e as InstallPromptEvent;
    listeners.forEach((l) => l());
  });
  window.addEventListener('appinstalled', () => {
    offered = undefined;
    listeners.forEach((l) => l());
  });
}

export function canInstall(): boolean {
  return offered !== undefined;
}

/** Calls back whenever the offer comes or goes; returns how to stop. */
export function onInstallChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows the browser's install dialog; resolves true when the user installed. */
export async function install(): Promise<boolean> {
  const event = offered;
  if (!event) {
    return false;
  }
  offered = undefined; // an offer can be used once
  await event.prompt();
  const { outcome } = await event.userChoice;
  listeners.forEach((l) => l());
  return outcome === 'accepted';
}
