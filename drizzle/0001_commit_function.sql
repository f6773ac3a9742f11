-- The engine's hot path: one node transition (fenced by the lease) in one call. plpgsql caches the
-- plans of its statements per connection, so a node costs one cheap round trip instead of parsing
-- and planning a multi-statement transaction every time. Returns the first event index, or NULL when
-- the caller does not hold a live lease (the caller then finds out why and stops).
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
    INSERT INTO block_executions (workspace_id, execution_id, node_id, iteration, block_type, status, attempt, input, output, error,
                                  started_at, finished_at, duration_ms, tokens_in, tokens_out, cost_usd, ttft_ms, tokens_per_second)
    SELECT v_workspace, p_execution, b.node_id, b.iteration, b.block_type, b.status::block_execution_status, b.attempt,
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
  END IF;

  IF p_channel IS NOT NULL AND v_count > 0 THEN
    PERFORM pg_notify(p_channel, p_execution::text || ':' || (v_first + v_count - 1)::text);
  END IF;
  RETURN v_first;
END;
$$;
