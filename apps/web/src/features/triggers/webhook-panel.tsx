"use client";

import { useState, useSyncExternalStore } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCw, Webhook as WebhookIcon } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import { useTRPC, type RouterOutputs } from "@/trpc/client";
import { CopyButton } from "./copy-button";
import { formatBytes } from "./format";
import { InvocationLog } from "./invocation-log";
import { curlCommand, sampleBody } from "./sample-body";
import { ShownOnce } from "./shown-once";

type Webhook = NonNullable<RouterOutputs["webhooks"]["get"]["webhook"]>;
type Configured = RouterOutputs["webhooks"]["configure"];

const noSubscribe = () => () => {};
/** The page's origin (empty while rendering on the server). */
const useOrigin = () =>
  useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => "",
  );

/**
 * A flow's webhook: create it, see its URL once (then masked), a curl example, enable/disable,
 * response mode, limits, signatures, rotation and the invocation log. Viewers see settings and log only.
 */
export function WebhookPanel({ workspaceId, flowId, canEdit }: { workspaceId: string; flowId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.webhooks.get.queryOptions({ workspaceId, flowId }));
  // Shown once: what the server returned right after create/rotate. Gone when the panel closes.
  const [url, setUrl] = useState<string | null>(null);
  const [signingSecret, setSigningSecret] = useState<string | null>(null);
  const origin = useOrigin();

  const onConfigured = (result: Configured) => {
    queryClient.setQueryData(trpc.webhooks.get.queryKey({ workspaceId, flowId }), (previous) => ({ inputSchema: previous?.inputSchema ?? null, webhook: result.webhook }));
    if (result.path) setUrl(`${window.location.origin}${result.path}`);
    if (result.signingSecret) setSigningSecret(result.signingSecret);
  };
  const create = useConfigure(onConfigured);

  if (query.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (query.isError) return <Alert variant="error">{query.error.message}</Alert>;
  const webhook = query.data.webhook;

  if (!webhook) {
    return (
      <div className="flex flex-col gap-3" data-testid="webhook-panel">
        <p className="text-sm text-muted-foreground">
          A secret URL that starts this flow when something POSTs to it. <BodyRule />
        </p>
        {create.error ? <Alert variant="error">{create.error.message}</Alert> : null}
        {canEdit ? (
          <Button type="button" size="sm" pending={create.isPending} onClick={() => create.mutate({ workspaceId, flowId })}>
            <WebhookIcon aria-hidden />
            Create webhook
          </Button>
        ) : (
          <p className="text-sm text-muted-foreground">No webhook yet. A member of the workspace can create one.</p>
        )}
      </div>
    );
  }

  const placeholder = `${origin}/api/webhooks/${flowId}/<secret>`;
  return (
    <div className="flex flex-col gap-4" data-testid="webhook-panel">
      <EnabledRow workspaceId={workspaceId} flowId={flowId} webhook={webhook} canEdit={canEdit} onConfigured={onConfigured} />

      <section aria-labelledby="webhook-url-title" className="flex flex-col gap-2">
        <h4 id="webhook-url-title" className="text-xs font-medium text-muted-foreground">
          URL
        </h4>
        {url ? (
          <ShownOnce
            title="Your webhook URL"
            label="Webhook URL"
            value={url}
            note="The secret in it is the credential: anyone with the URL can start this flow."
            onDone={() => setUrl(null)}
            testId="webhook-url-once"
          />
        ) : (
          <p className="font-mono text-xs break-all text-muted-foreground" data-testid="webhook-url-masked">
            {origin}/api/webhooks/{flowId}/<span aria-label="secret hidden">••••••••••••</span>
          </p>
        )}
        {canEdit ? <RotateUrl workspaceId={workspaceId} flowId={flowId} onConfigured={onConfigured} /> : null}
      </section>

      <CurlExample url={url ?? placeholder} real={url !== null} signed={webhook.signatureRequired} inputSchema={query.data.inputSchema} />

      {canEdit ? (
        <SettingsForm
          workspaceId={workspaceId}
          flowId={flowId}
          webhook={webhook}
          onConfigured={onConfigured}
        />
      ) : (
        <SettingsView webhook={webhook} />
      )}

      <Signatures
        workspaceId={workspaceId}
        flowId={flowId}
        webhook={webhook}
        canEdit={canEdit}
        onConfigured={onConfigured}
        secret={signingSecret}
        onSecretDone={() => setSigningSecret(null)}
      />

      <InvocationLog workspaceId={workspaceId} flowId={flowId} />
    </div>
  );
}

type Props = { workspaceId: string; flowId: string; onConfigured: (result: Configured) => void };

/** The webhook's configure mutation: its result goes to `onConfigured` (cache, shown-once values), then to `then`. */
function useConfigure(onConfigured: (result: Configured) => void, then?: () => void) {
  const trpc = useTRPC();
  return useMutation(
    trpc.webhooks.configure.mutationOptions({
      onSuccess: (result) => {
        onConfigured(result);
        then?.();
      },
    }),
  );
}

function EnabledRow({ workspaceId, flowId, webhook, canEdit, onConfigured }: Props & { webhook: Webhook; canEdit: boolean }) {
  const toggle = useConfigure(onConfigured);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center justify-between gap-2">
        <span id="webhook-enabled-label" className="text-sm font-medium">
          Accepts requests
        </span>
        {canEdit ? (
          <Switch
            aria-labelledby="webhook-enabled-label"
            data-testid="webhook-enabled"
            checked={webhook.enabled}
            disabled={toggle.isPending}
            onCheckedChange={(enabled) => toggle.mutate({ workspaceId, flowId, enabled })}
          />
        ) : (
          <Badge variant={webhook.enabled ? "success" : "outline"} data-testid="webhook-enabled-badge">
            {webhook.enabled ? "Enabled" : "Disabled"}
          </Badge>
        )}
      </div>
      <p className="text-xs text-muted-foreground">{webhook.enabled ? "Calls to the URL start the flow." : "Disabled: the URL answers 404."}</p>
      {toggle.error ? <Alert variant="error">{toggle.error.message}</Alert> : null}
    </div>
  );
}

function RotateUrl({ workspaceId, flowId, onConfigured }: Props) {
  const [confirming, setConfirming] = useState(false);
  const rotate = useConfigure(onConfigured, () => setConfirming(false));
  return (
    <>
      <Button
        type="button"
        size="sm"
        variant="destructive-outline"
        className="self-start"
        onClick={() => {
          rotate.reset();
          setConfirming(true);
        }}
      >
        <RotateCw aria-hidden />
        Rotate URL
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Rotate the webhook URL?"
        description="The old URL stops working at once: callers still using it get 404. The new URL is shown once."
        confirmLabel="Rotate URL"
        pending={rotate.isPending}
        error={rotate.error?.message}
        onConfirm={() => rotate.mutate({ workspaceId, flowId, rotate: true })}
      />
    </>
  );
}

/** Which input a webhook run gets, and what the Start block's input schema checks (DESIGN.md 6.1). */
function BodyRule() {
  return (
    <>
      The JSON body&apos;s fields become the run input (<code className="font-mono text-xs">input.&lt;field&gt;</code>, as in a manual run) and
      are checked against the Start block&apos;s input schema; the whole request is under <code className="font-mono text-xs">trigger</code>{" "}
      (<code className="font-mono text-xs">trigger.body</code>, <code className="font-mono text-xs">trigger.headers</code>).
    </>
  );
}

function CurlExample({ url, real, signed, inputSchema }: { url: string; real: boolean; signed: boolean; inputSchema: object | null }) {
  const command = curlCommand(url, sampleBody(inputSchema));
  return (
    <section aria-labelledby="webhook-curl-title" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h4 id="webhook-curl-title" className="text-xs font-medium text-muted-foreground">
          Try it
        </h4>
        <CopyButton text={command} what="curl command" variant="ghost" />
      </div>
      <pre className="rounded-md bg-muted p-2 font-mono text-[11px] leading-relaxed break-all whitespace-pre-wrap" data-testid="webhook-curl">
        {command}
      </pre>
      <p className="text-xs text-muted-foreground">
        {real ? "" : "Replace <secret> with the secret from the URL you saved. "}
        Async mode answers <code className="font-mono">202</code> with the execution id; sync mode waits and answers with the flow's output.
        {signed ? " Signatures are required: sign requests the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature)." : ""}
      </p>
      <p className="text-xs text-muted-foreground" data-testid="webhook-body-rule">
        {inputSchema ? "The example body fills in the Start block's input schema. " : "The Start block has no input schema, so any body is accepted. "}
        <BodyRule />
      </p>
    </section>
  );
}

const settingsFields = ["responseMode", "syncTimeoutMs", "rateLimitPerMinute", "maxBodyBytes"] as const;

function SettingsForm({ workspaceId, flowId, webhook, onConfigured }: Props & { webhook: Webhook }) {
  const [responseMode, setResponseMode] = useState(webhook.responseMode);
  const [syncTimeoutMs, setSyncTimeoutMs] = useState(String(webhook.syncTimeoutMs));
  const [rateLimit, setRateLimit] = useState(String(webhook.rateLimitPerMinute));
  const [maxBody, setMaxBody] = useState(String(webhook.maxBodyBytes));
  const [saved, setSaved] = useState(false);
  const save = useConfigure(onConfigured, () => setSaved(true));
  const error = fromTRPCError(save.error);
  const topError = formError(error, settingsFields);
  const dirty =
    responseMode !== webhook.responseMode ||
    syncTimeoutMs !== String(webhook.syncTimeoutMs) ||
    rateLimit !== String(webhook.rateLimitPerMinute) ||
    maxBody !== String(webhook.maxBodyBytes);
  const touched = () => setSaved(false);

  return (
    <form
      noValidate
      aria-labelledby="webhook-settings-title"
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          workspaceId,
          flowId,
          responseMode,
          syncTimeoutMs: Number(syncTimeoutMs),
          rateLimitPerMinute: Number(rateLimit),
          maxBodyBytes: Number(maxBody),
        });
      }}
    >
      <h4 id="webhook-settings-title" className="text-xs font-medium text-muted-foreground">
        Settings
      </h4>
      {topError ? <Alert variant="error">{topError}</Alert> : null}
      <Field id="webhook-response-mode" label="Response" error={fieldError(error, "responseMode")}>
        {(control) => (
          <Select
            {...control}
            value={responseMode}
            onChange={(e) => {
              setResponseMode(e.target.value as Webhook["responseMode"]);
              touched();
            }}
          >
            <option value="async">Async: 202 at once</option>
            <option value="sync">Sync: wait for the output</option>
          </Select>
        )}
      </Field>
      {responseMode === "sync" ? (
        <NumberField
          id="webhook-sync-timeout"
          label="Sync timeout (ms)"
          hint="Longer runs answer 202 with the execution id."
          error={fieldError(error, "syncTimeoutMs")}
          min={100}
          max={120000}
          step={100}
          value={syncTimeoutMs}
          onChange={(value) => {
            setSyncTimeoutMs(value);
            touched();
          }}
        />
      ) : null}
      <NumberField
        id="webhook-rate-limit"
        label="Rate limit (requests per minute)"
        hint="More answer 429 with Retry-After."
        error={fieldError(error, "rateLimitPerMinute")}
        min={1}
        value={rateLimit}
        onChange={(value) => {
          setRateLimit(value);
          touched();
        }}
      />
      <NumberField
        id="webhook-max-body"
        label="Max body size (bytes)"
        hint={`${formatBytes(Number(maxBody) || 0)}; larger bodies answer 413.`}
        error={fieldError(error, "maxBodyBytes")}
        min={1}
        value={maxBody}
        onChange={(value) => {
          setMaxBody(value);
          touched();
        }}
      />
      <div className="flex items-center gap-2">
        <Button type="submit" size="sm" pending={save.isPending} disabled={!dirty}>
          Save settings
        </Button>
        <span role="status" className="text-xs text-muted-foreground">
          {saved && !dirty ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}

/** A labelled whole-number input whose value is kept as the typed text. */
function NumberField({
  id,
  label,
  hint,
  error,
  min,
  max,
  step,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | null;
  min: number;
  max?: number;
  step?: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={step}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function SettingsView({ webhook }: { webhook: Webhook }) {
  const rows: [string, string][] = [
    ["Response", webhook.responseMode === "sync" ? `Sync (waits up to ${webhook.syncTimeoutMs} ms)` : "Async (202 at once)"],
    ["Rate limit", `${webhook.rateLimitPerMinute} requests per minute`],
    ["Max body size", formatBytes(webhook.maxBodyBytes)],
  ];
  return (
    <section aria-labelledby="webhook-settings-title" className="flex flex-col gap-2">
      <h4 id="webhook-settings-title" className="text-xs font-medium text-muted-foreground">
        Settings
      </h4>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="webhook-settings-view">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Signatures({
  workspaceId,
  flowId,
  webhook,
  canEdit,
  onConfigured,
  secret,
  onSecretDone,
}: Props & { webhook: Webhook; canEdit: boolean; secret: string | null; onSecretDone: () => void }) {
  const signing = useConfigure(onConfigured);
  const change = (mode: "generate" | "rotate" | "disable") => signing.mutate({ workspaceId, flowId, signing: mode });
  const pending = signing.isPending ? signing.variables.signing : null;
  return (
    <section aria-labelledby="webhook-signing-title" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h4 id="webhook-signing-title" className="text-xs font-medium text-muted-foreground">
          Signature verification
        </h4>
        <Badge variant={webhook.signatureRequired ? "success" : "outline"} data-testid="webhook-signing-status">
          {webhook.signatureRequired ? "Required" : "Off"}
        </Badge>
      </div>
      <p className="text-xs text-muted-foreground">
        {webhook.signatureRequired
          ? `Unsigned requests answer 401. ${webhook.signingSecretCount === 1 ? "One signing secret is" : `${webhook.signingSecretCount} signing secrets are`} accepted.`
          : "Any request with the URL is accepted. Require Standard Webhooks signatures to check who sent it."}
      </p>
      {secret ? (
        <ShownOnce
          title="Your signing secret"
          label="Signing secret"
          value={secret}
          note="Give it to the sender to sign requests with."
          onDone={onSecretDone}
          testId="webhook-signing-secret-once"
        />
      ) : null}
      {signing.error ? <Alert variant="error">{signing.error.message}</Alert> : null}
      {canEdit ? (
        <div className="flex flex-wrap gap-2">
          {webhook.signatureRequired ? (
            <>
              <Button type="button" size="sm" variant="outline" pending={pending === "rotate"} disabled={pending !== null} onClick={() => change("rotate")}>
                Rotate secret
              </Button>
              <Button type="button" size="sm" variant="ghost" pending={pending === "disable"} disabled={pending !== null} onClick={() => change("disable")}>
                Stop requiring
              </Button>
            </>
          ) : (
            <Button type="button" size="sm" variant="outline" pending={pending === "generate"} disabled={pending !== null} onClick={() => change("generate")}>
              Require signatures
            </Button>
          )}
        </div>
      ) : null}
      {canEdit && webhook.signatureRequired ? (
        <p className="text-xs text-muted-foreground">Rotating keeps the previous secret working, so senders can switch over.</p>
      ) : null}
    </section>
  );
}
