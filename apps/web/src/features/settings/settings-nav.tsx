const sections = [
  { id: "general", label: "General" },
  { id: "members", label: "Members" },
  { id: "api-keys", label: "API keys" },
] as const;

/** In-page links to the settings sections. */
export function SettingsNav() {
  return (
    <nav aria-label="Settings sections" className="mb-6">
      <ul className="flex gap-1 border-b border-border text-sm">
        {sections.map((section) => (
          <li key={section.id}>
            <a
              href={`#${section.id}`}
              className="-mb-px inline-block border-b-2 border-transparent px-3 py-2 text-muted-foreground hover:border-border hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
