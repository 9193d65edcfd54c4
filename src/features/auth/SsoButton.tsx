/**
 * `Sign in with <OIDC_NAME>` on the sign-in page: a link, so the browser leaves the app for the
 * provider with a full page load (the server answers the start route with a redirect there, and the
 * provider's redirect back lands on `/` or the page the person was on). Nothing when the server has
 * no single sign-on. With OIDC_ONLY it is the sign-in's main button, and a line says the password
 * form is for owners.
 */
import { isAppPage } from '../../../contract/appPages.ts';
import { useSignInMethods } from './api.ts';

const LOOK = 'inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 text-sm font-medium transition-colors';
const PRIMARY = 'bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-400 dark:text-slate-950 dark:hover:bg-sky-300';
const NEUTRAL =
  'bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800';

/** The page to come back to after signing in: the one the sign-in page stands in for (not `/`). */
function returnTo(): string {
  const { pathname, search } = window.location;
  return pathname !== '/' && isAppPage(pathname) ? `?returnTo=${encodeURIComponent(pathname + search)}` : '';
}

export function SsoButton() {
  const { sso, passwordSignIn } = useSignInMethods();
  if (!sso) return null;
  const ownersOnly = passwordSignIn === 'owners';
  return (
    <div className="flex flex-col gap-2">
      <a href={`${sso.startUrl}${returnTo()}`} className={`${LOOK} ${ownersOnly ? PRIMARY : NEUTRAL}`}>
        Sign in with {sso.name}
      </a>
      {ownersOnly && <p className="text-sm text-slate-600 dark:text-slate-400">Signing in with a password is for owners of this Switchboard only.</p>}
    </div>
  );
}
