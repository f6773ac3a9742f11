import { describe, expect, it, vi } from "vitest";
import { classifyAddress, createAddressPolicy } from "./address-policy";
import { HttpBlockedError, HttpNetworkError } from "./errors";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback address"],
    ["127.255.255.254", "loopback address"],
    ["10.1.2.3", "private address"],
    ["172.16.0.1", "private address"],
    ["172.31.255.255", "private address"],
    ["192.168.1.1", "private address"],
    ["169.254.169.254", "link-local address of the cloud metadata service"],
    ["169.254.1.1", "link-local address"],
    ["0.0.0.0", "unspecified address"],
    ["0.1.2.3", "unspecified address"],
    ["100.64.0.1", "carrier-grade NAT address"],
    ["224.0.0.1", "multicast address"],
    ["255.255.255.255", "broadcast address"],
    ["240.0.0.1", "reserved address"],
    ["192.0.2.1", "reserved address"],
    ["198.18.0.1", "reserved address"],
    // Lenient IPv4 spellings that inet_aton (and so the system resolver) accepts.
    ["2130706433", "loopback address"],
    ["0177.0.0.1", "loopback address"],
    ["0x7f.1", "loopback address"],
    ["127.1", "loopback address"],
    ["::1", "loopback address"],
    ["::", "unspecified address"],
    ["fe80::1", "link-local address"],
    ["fc00::1", "private address"],
    ["fd12:3456::1", "private address"],
    ["fec0::1", "site-local address"],
    ["ff02::1", "multicast address"],
    ["::ffff:127.0.0.1", "IPv4-mapped IPv6 address of 127.0.0.1, a loopback address"],
    ["::ffff:7f00:1", "IPv4-mapped IPv6 address of 127.0.0.1, a loopback address"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped IPv6 address of 169.254.169.254, a link-local address of the cloud metadata service"],
    ["::7f00:1", "IPv4-compatible IPv6 address of 127.0.0.1, a loopback address"],
    ["::ffff:0:a00:1", "IPv4-translated IPv6 address of 10.0.0.1, a private address"],
    ["64:ff9b::7f00:1", "NAT64 IPv6 address of 127.0.0.1, a loopback address"],
    ["64:ff9b::10.0.0.1", "NAT64 IPv6 address of 10.0.0.1, a private address"],
    ["64:ff9b:1::1", "reserved address"],
    ["2002:7f00:1::", "6to4 IPv6 address of 127.0.0.1, a loopback address"],
    ["2001::1", "Teredo tunnel address"],
    ["2001:db8::1", "reserved address"],
    ["100::1", "reserved address"],
    ["[::1]", "loopback address"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, reason });
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"])(
    "allows the public address %s",
    (address) => {
      expect(classifyAddress(address)).toEqual({ allowed: true });
    },
  );

  it("refuses what is not an address", () => {
    expect(classifyAddress("example.com")).toEqual({ allowed: false, reason: "not an IP address" });
  });
});

describe("createAddressPolicy", () => {
  const resolveError = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpBlockedError);
    return error as HttpBlockedError;
  };

  it("refuses literal addresses without asking the resolver", async () => {
    const lookup = vi.fn(async () => [{ address: "8.8.8.8", family: 4 }]);
    const policy = createAddressPolicy({ lookup });
    const error = await resolveError(policy.resolve("127.0.0.1"));
    expect(error.message).toBe(
      "Refused to connect to 127.0.0.1 (loopback address). Operators can allow it with WEFT_HTTP_ALLOW_HOSTS.",
    );
    expect(error.code).toBe("SSRF_BLOCKED");
    expect(error.retryable).toBe(false);
    await resolveError(policy.resolve("[::1]"));
    expect(lookup).not.toHaveBeenCalled();
  });

  it("refuses local and metadata hostnames by name", async () => {
    const lookup = vi.fn(async () => [{ address: "8.8.8.8", family: 4 }]);
    const policy = createAddressPolicy({ lookup });
    for (const host of ["localhost", "LOCALHOST.", "api.localhost", "metadata.google.internal", "metadata.goog"]) {
      await resolveError(policy.resolve(host));
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it("refuses a name when any of its addresses is private", async () => {
    const policy = createAddressPolicy({
      lookup: async () => [
        { address: "10.0.0.7", family: 4 },
        { address: "8.8.8.8", family: 4 },
      ],
    });
    const error = await resolveError(policy.resolve("mixed.test"));
    expect(error.message).toContain("mixed.test (resolves to 10.0.0.7, a private address)");
  });

  it("returns the checked, canonical addresses of a public name", async () => {
    const policy = createAddressPolicy({
      lookup: async () => [
        { address: "8.8.8.8", family: 4 },
        { address: "2606:4700:4700::1111", family: 6 },
      ],
    });
    await expect(policy.resolve("public.test")).resolves.toEqual(["8.8.8.8", "2606:4700:4700::1111"]);
    await expect(policy.resolve("0x08.0x08.0x08.0x08")).resolves.toEqual(["8.8.8.8"]);
  });

  it("wraps resolver failures as network errors", async () => {
    const policy = createAddressPolicy({
      lookup: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND nope.test"), { code: "ENOTFOUND" });
      },
    });
    await expect(policy.resolve("nope.test")).rejects.toBeInstanceOf(HttpNetworkError);
    const empty = createAddressPolicy({ lookup: async () => [] });
    await expect(empty.resolve("empty.test")).rejects.toBeInstanceOf(HttpNetworkError);
  });

  it("lets allowHosts open IPs, CIDRs and names", async () => {
    const policy = createAddressPolicy({
      allowHosts: ["127.0.0.1", "10.0.0.0/8", "fd00::/8", "localhost", "*.corp.internal"],
      lookup: async (hostname) =>
        hostname === "svc.corp.internal" ? [{ address: "192.168.5.5" }] : [{ address: "10.9.9.9" }],
    });
    await expect(policy.resolve("127.0.0.1")).resolves.toEqual(["127.0.0.1"]);
    await expect(policy.resolve("[::ffff:127.0.0.1]")).resolves.toEqual(["::ffff:7f00:1"]);
    await expect(policy.resolve("10.20.30.40")).resolves.toEqual(["10.20.30.40"]);
    await expect(policy.resolve("[fd00::5]")).resolves.toEqual(["fd00::5"]);
    await expect(policy.resolve("named.test")).resolves.toEqual(["10.9.9.9"]);
    await expect(policy.resolve("localhost")).resolves.toEqual(["10.9.9.9"]);
    await expect(policy.resolve("svc.corp.internal")).resolves.toEqual(["192.168.5.5"]);
    // Only what is listed: the rest of loopback and other private ranges stay closed.
    await resolveError(policy.resolve("127.0.0.2"));
    await resolveError(policy.resolve("192.168.0.1"));
    await resolveError(policy.resolve("169.254.169.254"));
  });

  it("rejects a malformed CIDR in allowHosts", () => {
    expect(() => createAddressPolicy({ allowHosts: ["10.0.0.0/99"] })).toThrow(/Invalid CIDR/);
  });
});
