import { buildConnector } from "undici";
import { type AddressPolicy } from "./address-policy";

/**
 * An undici connector that resolves and checks the host itself and then connects to exactly the
 * address it checked: there is no second DNS lookup between the check and the connection, so DNS
 * rebinding cannot swap in a private address. undici calls it for every new connection, including
 * those opened for redirect targets.
 *
 * Only `hostname` (the address the socket connects to) is replaced; `host` stays the URL's host, so
 * undici still derives the TLS server name (SNI and certificate check) from the original name.
 */
export function createGuardedConnector(
  policy: AddressPolicy,
  connectOptions: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connect = buildConnector(connectOptions);

  return (options, callback) => {
    policy.resolve(options.hostname).then(
      (addresses) => {
        // Try the checked addresses in resolver order until one accepts the connection.
        const attempt = (index: number) => {
          const address = addresses[index];
          if (address === undefined) return;
          const onConnect: buildConnector.Callback = (error, socket) => {
            if (error) {
              if (index + 1 < addresses.length) attempt(index + 1);
              else callback(error, null);
              return;
            }
            callback(null, socket);
          };
          try {
            connect({ ...options, hostname: address }, onConnect);
          } catch (error) {
            onConnect(error instanceof Error ? error : new Error(String(error)), null);
          }
        };
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}
