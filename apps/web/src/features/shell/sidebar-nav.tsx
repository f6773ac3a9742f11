"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { BarChart3, Cable, History, ListChecks, Settings, Shapes, Workflow } from "lucide-react";
import { cn } from "@/components/ui/cn";

const items = [
  { segment: "flows", label: "Flows", icon: Workflow },
  { segment: "executions", label: "Executions", icon: History },
  { segment: "decisions", label: "Decisions", icon: ListChecks },
  { segment: "patterns", label: "Patterns", icon: Shapes },
  { segment: "analytics", label: "Analytics", icon: BarChart3 },
  { segment: "connections", label: "Connections", icon: Cable },
  { segment: "settings", label: "Settings", icon: Settings },
] as const;

/** The workspace's sections; the one holding the current page is marked with aria-current. */
export function SidebarNav({ workspaceId }: { workspaceId: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Workspace">
      <ul className="flex flex-wrap gap-1 md:flex-col">
        {items.map(({ segment, label, icon: Icon }) => {
          const href = `/w/${workspaceId}/${segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={segment}>
              <Link
                href={href}
                title={label}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-ring",
                  active ? "bg-accent font-medium text-accent-foreground" : "text-muted-foreground hover:bg-accent/60 hover:text-foreground",
                )}
              >
                <Icon className="size-4 shrink-0" aria-hidden />
                {/* On full-bleed pages (the builder) the sidebar is an icon rail: the name is for screen readers. */}
                <span className="group-data-full-bleed/frame:md:sr-only">{label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
