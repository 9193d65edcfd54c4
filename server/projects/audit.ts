/**
 * The audit log lives in server/audit/ now. This re-export stays only for the two importers that have
 * not moved yet (actions/press.ts and cli.ts); delete it once they import ../audit/log.ts.
 */
export { type Actor, audit } from '../audit/log.ts';
