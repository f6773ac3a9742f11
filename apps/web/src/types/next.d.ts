// Committed stand-in for the generated (gitignored) next-env.d.ts, so a fresh clone typechecks
// without running `next build` first. Duplicate references are harmless once next-env.d.ts exists.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
