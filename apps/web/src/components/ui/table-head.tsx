import { cn } from "./cn";

export type Column = string | { label: string; hidden?: boolean };

/**
 * The header row of a data table: one `<th scope="col">` per column; a `hidden` column (e.g. the
 * actions column) keeps its label for screen readers only.
 */
export function TableHead({
  columns,
  className,
  rowClassName,
  cellClassName,
}: {
  columns: Column[];
  className?: string;
  rowClassName?: string;
  cellClassName?: string;
}) {
  return (
    <thead className={cn("text-left text-xs text-muted-foreground", className)}>
      <tr className={rowClassName}>
        {columns.map((column) => {
          const { label, hidden } = typeof column === "string" ? { label: column, hidden: false } : column;
          return (
            <th key={label} scope="col" className={cn(cellClassName, !hidden && "font-medium")}>
              {hidden ? <span className="sr-only">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
