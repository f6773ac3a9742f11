import Link from "next/link";

/** The Weft mark: three woven threads. */
export function Logo({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight">
      <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
        <path d="M3 7c3 0 3 4 6 4s3-4 6-4 3 4 6 4" />
        <path d="M3 13c3 0 3 4 6 4s3-4 6-4 3 4 6 4" className="opacity-60" />
        <path d="M6 3v18M12 3v18M18 3v18" className="opacity-30" />
      </svg>
      Weft
    </Link>
  );
}
