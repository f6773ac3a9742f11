export {
  classifyAddress,
  createAddressPolicy,
  type AddressPolicy,
  type AddressPolicyOptions,
  type AddressVerdict,
  type HostLookup,
  type ResolvedAddress,
} from "./address-policy";
export {
  HttpBlockedError,
  HttpError,
  HttpInvalidUrlError,
  HttpNetworkError,
  HttpRedirectError,
  HttpTimeoutError,
  HttpTooLargeError,
  isRetryableStatus,
  parseRetryAfter,
  type HttpErrorCode,
} from "./errors";
export { createGuardedFetch, type GuardedFetch, type GuardedFetchOptions } from "./guarded-fetch";
export { httpRequest, type HttpRequestOptions, type HttpResponse } from "./http-request";
