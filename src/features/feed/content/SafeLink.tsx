/** A link found in text someone sent: opens apart, without the page's address, never followed by crawlers. */
export function SafeLink({ href, text }: { href: string; text: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-sky-700 underline decoration-sky-700/40 underline-offset-2 hover:decoration-sky-700 dark:text-sky-400">
      {text}
    </a>
  );
}
