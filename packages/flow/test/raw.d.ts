// Vite's `?raw` imports (tests read fixture files as text without node:fs; this package is isomorphic).
declare module "*?raw" {
  const text: string;
  export default text;
}
