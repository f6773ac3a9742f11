import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { HttpBlockedError, HttpNetworkError } from "./errors";

/** One resolved address, as `dns.lookup(host, { all: true })` returns them. */
export type ResolvedAddress = { address: string; family?: number };

/** Resolves a hostname to its addresses. Defaults to the system resolver (`dns.lookup`). */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

type IPAddress = ipaddr.IPv4 | ipaddr.IPv6;

const V4_REASONS: Record<string, string> = {
  unspecified: "unspecified address",
  broadcast: "broadcast address",
  multicast: "multicast address",
  linkLocal: "link-local address",
  loopback: "loopback address",
  carrierGradeNat: "carrier-grade NAT address",
  private: "private address",
  reserved: "reserved address",
};

const V6_REASONS: Record<string, string> = {
  unspecified: "unspecified address",
  linkLocal: "link-local address",
  multicast: "multicast address",
  loopback: "loopback address",
  uniqueLocal: "private address",
  deprecatedSiteLocal: "site-local address",
  teredo: "Teredo tunnel address",
};

const METADATA_V4 = "169.254.169.254";

function classifyV4(address: ipaddr.IPv4): AddressVerdict {
  const range = address.range();
  if (range === "unicast") return { allowed: true };
  if (address.toString() === METADATA_V4) {
    return { allowed: false, reason: "link-local address of the cloud metadata service" };
  }
  return { allowed: false, reason: V4_REASONS[range] ?? `non-public address (${range})` };
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedV4(address: ipaddr.IPv6): { v4: ipaddr.IPv4; form: string } | null {
  const p = address.parts;
  const low32 = () =>
    new ipaddr.IPv4([(p[6] ?? 0) >> 8, (p[6] ?? 0) & 0xff, (p[7] ?? 0) >> 8, (p[7] ?? 0) & 0xff]);
  const range = address.range();
  if (range === "ipv4Mapped") return { v4: low32(), form: "IPv4-mapped IPv6 address" };
  if (range === "rfc6145") return { v4: low32(), form: "IPv4-translated IPv6 address" };
  // Only the well-known NAT64 prefix /96 embeds the address in the last 32 bits; the local-use
  // 64:ff9b:1::/48 prefix is refused below as reserved.
  if (range === "rfc6052" && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0) {
    return { v4: low32(), form: "NAT64 IPv6 address" };
  }
  if (range === "6to4") {
    const hi = p[1] ?? 0;
    const lo = p[2] ?? 0;
    return { v4: new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]), form: "6to4 IPv6 address" };
  }
  // Deprecated IPv4-compatible form ::a.b.c.d (ipaddr.js calls it "unicast").
  if (p.slice(0, 6).every((part) => part === 0) && range !== "unspecified" && range !== "loopback") {
    return { v4: low32(), form: "IPv4-compatible IPv6 address" };
  }
  return null;
}

function classifyV6(address: ipaddr.IPv6): AddressVerdict {
  const embedded = embeddedV4(address);
  if (embedded) {
    const inner = classifyV4(embedded.v4);
    if (inner.allowed) return inner;
    return {
      allowed: false,
      reason: `${embedded.form} of ${embedded.v4.toString()}, ${withArticle(inner.reason)}`,
    };
  }
  const range = address.range();
  // Global unicast is 2000::/3; ipaddr.js calls everything it has no name for "unicast".
  const first = address.parts[0] ?? 0;
  if (range === "unicast" && (first & 0xe000) === 0x2000) return { allowed: true };
  return { allowed: false, reason: V6_REASONS[range] ?? "reserved address" };
}

/** Whether an IP address is publicly routable; parses lenient IPv4 spellings (0x7f.1, 2130706433). */
export function classifyAddress(address: string): AddressVerdict {
  const parsed = parseAddress(address);
  if (!parsed) return { allowed: false, reason: "not an IP address" };
  return parsed.kind() === "ipv4"
    ? classifyV4(parsed as ipaddr.IPv4)
    : classifyV6(parsed as ipaddr.IPv6);
}

function parseAddress(address: string): IPAddress | null {
  const bare = stripBrackets(address);
  // ipaddr.js also accepts the inet_aton spellings (octal, hex, fewer than four parts, one number),
  // which the system resolver would happily turn into an address.
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : null;
}

function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function normaliseHostname(host: string): string {
  return stripBrackets(host.trim().toLowerCase()).replace(/\.+$/, "");
}

/** Names that are local or cloud-metadata endpoints whatever a resolver says. */
function blockedHostnameReason(hostname: string): string | null {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return "local hostname";
  if (
    hostname === "metadata.google.internal" ||
    hostname === "metadata.goog" ||
    hostname === "metadata"
  ) {
    return "cloud metadata hostname";
  }
  return null;
}

type AllowList = {
  names: Set<string>;
  suffixes: string[];
  ranges: [IPAddress, number][];
};

function parseAllowHosts(entries: readonly string[]): AllowList {
  const list: AllowList = { names: new Set(), suffixes: [], ranges: [] };
  for (const raw of entries) {
    const entry = normaliseHostname(raw);
    if (entry === "") continue;
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry)) throw new TypeError(`Invalid CIDR in allowHosts: ${raw}`);
      list.ranges.push(ipaddr.parseCIDR(entry));
    } else if (isIP(entry) !== 0) {
      const address = ipaddr.parse(entry);
      list.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (entry.startsWith("*.")) {
      list.suffixes.push(entry.slice(1));
    } else {
      list.names.add(entry);
    }
  }
  return list;
}

function inRanges(address: IPAddress, ranges: readonly [IPAddress, number][]): boolean {
  const forms: IPAddress[] = [address];
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    forms.push((address as ipaddr.IPv6).toIPv4Address());
  }
  return forms.some((form) =>
    ranges.some(([base, bits]) => base.kind() === form.kind() && form.match(base, bits)),
  );
}

export type AddressPolicy = {
  /**
   * Resolves `hostname` (a URL hostname; IPv6 may be bracketed) and checks every address. Returns
   * the checked addresses to connect to, or throws HttpBlockedError / HttpNetworkError.
   */
  resolve(hostname: string): Promise<string[]>;
};

export type AddressPolicyOptions = {
  /** Hostnames (exact, or `*.suffix`), IPs or CIDRs that may be reached although not public. */
  allowHosts?: readonly string[];
  lookup?: HostLookup;
};

const systemLookup: HostLookup = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allow = parseAllowHosts(options.allowHosts ?? []);
  const lookup = options.lookup ?? systemLookup;

  const nameAllowed = (hostname: string) =>
    allow.names.has(hostname) || allow.suffixes.some((suffix) => hostname.endsWith(suffix));

  const check = (address: IPAddress): AddressVerdict => {
    if (inRanges(address, allow.ranges)) return { allowed: true };
    return address.kind() === "ipv4"
      ? classifyV4(address as ipaddr.IPv4)
      : classifyV6(address as ipaddr.IPv6);
  };

  return {
    async resolve(rawHostname) {
      const hostname = normaliseHostname(rawHostname);
      if (hostname === "") throw new HttpBlockedError(rawHostname, "empty hostname");

      const literal = parseAddress(hostname);
      if (literal) {
        const verdict = nameAllowed(hostname) ? { allowed: true as const } : check(literal);
        if (!verdict.allowed) throw new HttpBlockedError(hostname, verdict.reason);
        // Connect to the canonical form, never to a spelling the OS might read differently.
        return [literal.toString()];
      }

      const trusted = nameAllowed(hostname);
      if (!trusted) {
        const reason = blockedHostnameReason(hostname);
        if (reason) throw new HttpBlockedError(hostname, reason);
      }

      let resolved: readonly ResolvedAddress[];
      try {
        resolved = await lookup(hostname);
      } catch (error) {
        throw new HttpNetworkError(`Could not resolve ${hostname}`, { cause: error });
      }
      if (resolved.length === 0) throw new HttpNetworkError(`Could not resolve ${hostname}`);

      const addresses: string[] = [];
      for (const { address } of resolved) {
        const parsed = parseAddress(address);
        if (!parsed) {
          throw new HttpBlockedError(hostname, `resolves to ${address}, which is not an IP address`);
        }
        // Refuse the host if ANY of its addresses is refused: a name that mixes public and private
        // records is an attack or a misconfiguration either way.
        const verdict = trusted ? { allowed: true as const } : check(parsed);
        if (!verdict.allowed) {
          throw new HttpBlockedError(
            hostname,
            `resolves to ${parsed.toString()}, ${withArticle(verdict.reason)}`,
          );
        }
        addresses.push(parsed.toString());
      }
      return addresses;
    },
  };
}
