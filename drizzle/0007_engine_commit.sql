-- Engine commits in one statement each (engine core v2).
--
-- weft_upsert_blocks: THE block-row merge rules. Every path that writes block rows of a running
-- execution goes through it (weft_commit below, and weft_commit_node of 0001, redefined here), so the
-- rules exist once: a later write keeps what it does not say (coalesce), the attempt never goes back,
-- and a completed row has no error.
CREATE OR REPLACE FUNCTION weft_upsert_blocks(p_execution uuid, p_workspace uuid, p_blocks jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO block_executions (workspace_id, execution_id, node_id, iteration, block_type, status, attempt, input, output, error,
                                started_at, finished_at, duration_ms, tokens_in, tokens_out, cost_usd, ttft_ms, tokens_per_second)
  SELECT p_workspace, p_execution, b.node_id, b.iteration, b.block_type, b.status::block_execution_status, coalesce(b.attempt, 0),
         b.input, b.output, b.error, b.started_at, b.finished_at, b.duration_ms, b.tokens_in, b.tokens_out, b.cost_usd,
         b.ttft_ms, b.tokens_per_second
    FROM jsonb_to_recordset(p_blocks) AS b(node_id text, iteration text, block_type text, status text, attempt integer,
         input jsonb, output jsonb, error jsonb, started_at timestamptz, finished_at timestamptz, duration_ms integer,
         tokens_in integer, tokens_out integer, cost_usd numeric, ttft_ms integer, tokens_per_second double precision)
  ON CONFLICT (execution_id, node_id, iteration) DO UPDATE SET
    status = excluded.status,
    attempt = greatest(excluded.attempt, block_executions.attempt),
    input = coalesce(excluded.input, block_executions.input),
    output = coalesce(excluded.output, block_executions.output),
    error = CASE WHEN excluded.status = 'completed' THEN NULL ELSE coalesce(excluded.error, block_executions.error) END,
    started_at = coalesce(excluded.started_at, block_executions.started_at),
    finished_at = coalesce(excluded.finished_at, block_executions.finished_at),
    duration_ms = coalesce(excluded.duration_ms, block_executions.duration_ms),
    tokens_in = coalesce(excluded.tokens_in, block_executions.tokens_in),
    tokens_out = coalesce(excluded.tokens_out, block_executions.tokens_out),
    cost_usd = coalesce(excluded.cost_usd, block_executions.cost_usd),
    ttft_ms = coalesce(excluded.ttft_ms, block_executions.ttft_ms),
    tokens_per_second = coalesce(excluded.tokens_per_second, block_executions.tokens_per_second),
    updated_at = now();
END;
$$;
--> statement-breakpoint
-- 0001's node commit, now with the one set of merge rules (kept for callers of the old name).
CREATE OR REPLACE FUNCTION weft_commit_node(
  p_execution uuid,
  p_owner text,
  p_lease_ms integer,
  p_events jsonb,
  p_blocks jsonb,
  p_channel text
) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first integer;
  v_workspace uuid;
BEGIN
  UPDATE flow_executions
     SET next_event_index = next_event_index + v_count,
         updated_at = now(),
         lease_expires_at = CASE WHEN p_lease_ms IS NULL THEN lease_expires_at ELSE now() + make_interval(secs => p_lease_ms / 1000.0) END
   WHERE id = p_execution AND lease_owner = p_owner AND lease_expires_at > now()
   RETURNING next_event_index - v_count, workspace_id INTO v_first, v_workspace;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO execution_events (execution_id, event_index, workspace_id, type, data)
  SELECT p_execution, v_first + (e.ord - 1)::integer, v_workspace, e.value->>'type', e.value->'data'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);
  IF jsonb_array_length(p_blocks) > 0 THEN
    PERFORM weft_upsert_blocks(p_execution, v_workspace, p_blocks);
  END IF;
  IF p_channel IS NOT NULL AND v_count > 0 THEN
    PERFORM pg_notify(p_channel, p_execution::text || ':' || (v_first + v_count - 1)::text);
  END IF;
  RETURN v_first;
END;
$$;
--> statement-breakpoint
-- Every commit of a lease owner in one statement (one round trip, one transaction, plans cached per
-- connection): the fenced update of the execution (event range, status change when p_to is given and
-- the status is one of p_from, the fields of p_set, lease renewed or released), its events, its block
-- rows (weft_upsert_blocks) and the notifications. Nothing is written unless all of it is.
-- o_outcome: 'ok', 'lease_lost' (no live lease of p_owner) or 'refused' (status not in p_from; o_status
-- is the current one).
CREATE OR REPLACE FUNCTION weft_commit(
  p_execution uuid,
  p_owner text,
  p_lease_ms integer,
  p_events jsonb,
  p_blocks jsonb,
  p_channel text,
  p_from text[],
  p_to text,
  p_set jsonb,
  p_release boolean,
  p_work_channel text
) RETURNS TABLE (o_first integer, o_status text, o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_first integer;
  v_workspace uuid;
  v_status text;
  v_owned boolean;
  s jsonb := coalesce(p_set, '{}'::jsonb);
BEGIN
  UPDATE flow_executions f
     SET next_event_index = f.next_event_index + v_count,
         status = coalesce(p_to::execution_status, f.status),
         output = CASE WHEN s ? 'output' THEN nullif(s->'output', 'null'::jsonb) ELSE f.output END,
         error = CASE WHEN s ? 'error' THEN nullif(s->'error', 'null'::jsonb) ELSE f.error END,
         graph = CASE WHEN s ? 'graph' THEN nullif(s->'graph', 'null'::jsonb) ELSE f.graph END,
         tokens_in = CASE WHEN s ? 'tokensIn' THEN (s->>'tokensIn')::integer ELSE f.tokens_in END,
         tokens_out = CASE WHEN s ? 'tokensOut' THEN (s->>'tokensOut')::integer ELSE f.tokens_out END,
         cost_usd = CASE WHEN s ? 'costUsd' THEN (s->>'costUsd')::numeric ELSE f.cost_usd END,
         duration_ms = CASE WHEN s ? 'durationMs' THEN (s->>'durationMs')::integer ELSE f.duration_ms END,
         started_at = CASE WHEN s ? 'startedAt' THEN (s->>'startedAt')::timestamptz ELSE f.started_at END,
         finished_at = CASE WHEN s ? 'finishedAt' THEN (s->>'finishedAt')::timestamptz ELSE f.finished_at END,
         wake_at = CASE WHEN s ? 'wakeAt' THEN (s->>'wakeAt')::timestamptz ELSE f.wake_at END,
         requested_command = CASE WHEN s ? 'requestedCommand' THEN s->>'requestedCommand' ELSE f.requested_command END,
         requested_by = CASE WHEN s ? 'requestedBy' THEN (s->>'requestedBy')::uuid ELSE f.requested_by END,
         lease_owner = CASE WHEN p_release THEN NULL ELSE f.lease_owner END,
         lease_expires_at = CASE
           WHEN p_release THEN NULL
           WHEN p_lease_ms IS NOT NULL THEN now() + make_interval(secs => p_lease_ms / 1000.0)
           ELSE f.lease_expires_at END,
         updated_at = now()
   WHERE f.id = p_execution AND f.lease_owner = p_owner AND f.lease_expires_at > now()
     AND (p_from IS NULL OR f.status::text = ANY (p_from))
   RETURNING f.next_event_index - v_count, f.workspace_id, f.status::text INTO v_first, v_workspace, v_status;
  IF NOT FOUND THEN
    SELECT f.status::text, (f.lease_owner = p_owner AND f.lease_expires_at > now())
      INTO v_status, v_owned
      FROM flow_executions f WHERE f.id = p_execution;
    IF NOT FOUND OR NOT coalesce(v_owned, false) THEN
      RETURN QUERY SELECT NULL::integer, v_status, 'lease_lost'::text;
    ELSE
      RETURN QUERY SELECT NULL::integer, v_status, 'refused'::text;
    END IF;
    RETURN;
  END IF;
  IF v_count > 0 THEN
    INSERT INTO execution_events (execution_id, event_index, workspace_id, type, data)
    SELECT p_execution, v_first + (e.ord - 1)::integer, v_workspace, e.value->>'type', e.value->'data'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);
  END IF;
  IF jsonb_array_length(p_blocks) > 0 THEN
    PERFORM weft_upsert_blocks(p_execution, v_workspace, p_blocks);
  END IF;
  IF p_channel IS NOT NULL AND v_count > 0 THEN
    PERFORM pg_notify(p_channel, p_execution::text || ':' || (v_first + v_count - 1)::text);
  END IF;
  IF p_work_channel IS NOT NULL THEN
    PERFORM pg_notify(p_work_channel, p_execution::text);
  END IF;
  RETURN QUERY SELECT v_first, v_status, 'ok'::text;
END;
$$;
