// Vite's `?raw` imports: fixture files as text.
declare module "*?raw" {
  const text: string;
  export default text;
}
