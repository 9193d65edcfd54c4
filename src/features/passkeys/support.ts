/** Whether passkeys can be offered here, known without loading the WebAuthn library. */

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = (): boolean => typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

/** Browsers refuse WebAuthn on an IP address: the app does not offer passkeys there. */
export const onIpAddress = (): boolean => /^(\d{1,3}\.){3}\d{1,3}$|^\[.*\]$/.test(location.hostname);

/** Both: passkeys may be offered on this page. */
export const passkeysUsable = (): boolean => passkeysSupported() && !onIpAddress();
