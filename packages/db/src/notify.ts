import { sql } from "drizzle-orm";
import type { DatabaseHandle, DbOrTx } from "./client";

export type Unsubscribe = () => Promise<void>;

/**
 * Postgres LISTEN/NOTIFY (postgres.js keeps one dedicated listening connection). Notifications sent
 * inside a transaction are delivered at commit.
 */
export type NotifyBus = {
  listen(channel: string, onMessage: (payload: string) => void): Promise<Unsubscribe>;
  notify(db: DbOrTx, channel: string, payload: string): Promise<void>;
};

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function createNotifyBus(handle: DatabaseHandle): NotifyBus {
  return {
    async listen(channel, onMessage) {
      if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
      const subscription = await handle.sql.listen(channel, onMessage);
      return async () => {
        await subscription.unlisten();
      };
    },
    async notify(db, channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
  };
}
