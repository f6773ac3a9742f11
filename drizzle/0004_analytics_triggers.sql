-- Decisions and analytics rollups, written in the same statement as the block row the engine store
-- writes (so in the node completion's transaction, whichever store path wrote it).
--
-- Exactness: every rollup is a sum over block rows (and decision rows) of that row's contribution.
-- A statement trigger adds the contribution of each row as it is after the statement and takes back
-- the contribution it had before (UPDATE / DELETE), so the rollups always equal the same sums over the
-- raw rows: a node re-run after a crash updates its one row (unique per execution, node, iteration)
-- and can never count twice. Only completed and failed block rows contribute; test runs
-- (flow_executions.kind = 'test') do not contribute to rollups (their decisions are kept, marked).

-- Milliseconds kept to two significant digits (exact below 100 ms); monotone, so a percentile of the
-- keys is the key of the percentile.
CREATE OR REPLACE FUNCTION weft_ms_key(v integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL THEN NULL
    WHEN v < 100 THEN greatest(v, 0)
    ELSE v - v % (10 ^ (length(v::text) - 2))::integer
  END
$$;
--> statement-breakpoint
-- An error message with ids, quoted values and numbers taken out, for grouping failures.
CREATE OR REPLACE FUNCTION weft_normalize_error(msg text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(
           regexp_replace(
             regexp_replace(left(coalesce(msg, ''), 300),
               '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<id>', 'g'),
             '"[^"]*"|''[^'']*''', '<value>', 'g'),
           '[0-9]+(\.[0-9]+)?', '<n>', 'g')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_failure_fingerprint(code text, msg text, block_type text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT md5(coalesce(code, '') || '|' || coalesce(block_type, '') || '|' || weft_normalize_error(msg))
$$;
--> statement-breakpoint
-- The model of a block row: the AI output's model, else the node's configured model (AI router), else ''.
CREATE OR REPLACE FUNCTION weft_block_model(block_type text, output jsonb, graph jsonb, node_id text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN block_type NOT IN ('ai', 'router') THEN ''
    ELSE coalesce(
      output->>'model',
      (SELECT n->'data'->'config'->>'model' FROM jsonb_array_elements(graph->'nodes') n WHERE n->>'id' = node_id LIMIT 1),
      '')
  END
$$;
--> statement-breakpoint
-- Adds the contribution of `p_plus` and takes back that of `p_minus` (completed or failed block rows
-- of non-test runs) in the rollups, and records the decisions of completed AI and router rows.
CREATE OR REPLACE FUNCTION weft_block_rows_changed(p_plus block_executions[], p_minus block_executions[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH facts AS (
    SELECT r.*, e.flow_id, e.graph, 1 AS sign FROM unnest(p_plus) r JOIN flow_executions e ON e.id = r.execution_id WHERE e.kind = 'flow'
    UNION ALL
    SELECT r.*, e.flow_id, e.graph, -1 AS sign FROM unnest(p_minus) r JOIN flow_executions e ON e.id = r.execution_id WHERE e.kind = 'flow'
  ), scoped AS (
    SELECT workspace_id, flow_id, execution_id, node_id, block_type, status::text AS status, sign,
           error->>'code' AS err_code, error->>'message' AS err_message,
           coalesce(finished_at, started_at, created_at) AS at,
           date_trunc('hour', coalesce(finished_at, started_at, created_at), 'UTC') AS bucket,
           duration_ms, ttft_ms, tokens_in, tokens_out, cost_usd,
           weft_block_model(block_type, output, graph, node_id) AS model
      FROM facts
  ), nodes AS (
    INSERT INTO analytics_node_hours AS a (workspace_id, flow_id, node_id, model, bucket, block_type, runs, failures,
                                           tokens_in, tokens_out, cost_usd, priced_calls, unknown_cost_calls)
    SELECT workspace_id, flow_id, node_id, model, bucket, max(block_type),
           sum(sign), coalesce(sum(sign) FILTER (WHERE status = 'failed'), 0),
           coalesce(sum(sign * tokens_in), 0), coalesce(sum(sign * tokens_out), 0), coalesce(sum(sign * cost_usd), 0),
           coalesce(sum(sign) FILTER (WHERE tokens_in IS NOT NULL AND cost_usd IS NOT NULL), 0),
           coalesce(sum(sign) FILTER (WHERE tokens_in IS NOT NULL AND cost_usd IS NULL), 0)
      FROM scoped
     GROUP BY workspace_id, flow_id, node_id, model, bucket
    ON CONFLICT (workspace_id, bucket, flow_id, node_id, model) DO UPDATE SET
      block_type = excluded.block_type,
      runs = a.runs + excluded.runs,
      failures = a.failures + excluded.failures,
      tokens_in = a.tokens_in + excluded.tokens_in,
      tokens_out = a.tokens_out + excluded.tokens_out,
      cost_usd = a.cost_usd + excluded.cost_usd,
      priced_calls = a.priced_calls + excluded.priced_calls,
      unknown_cost_calls = a.unknown_cost_calls + excluded.unknown_cost_calls
    RETURNING 1
  ), latency AS (
    INSERT INTO analytics_latency AS a (workspace_id, flow_id, node_id, bucket, metric, value, n)
    SELECT workspace_id, flow_id, node_id, bucket, m.metric, m.value, sum(sign)
      FROM scoped
      CROSS JOIN LATERAL (VALUES (0::smallint, weft_ms_key(duration_ms)), (1::smallint, weft_ms_key(ttft_ms))) AS m(metric, value)
     WHERE m.value IS NOT NULL
     GROUP BY workspace_id, flow_id, node_id, bucket, m.metric, m.value
    ON CONFLICT (workspace_id, bucket, flow_id, node_id, metric, value) DO UPDATE SET n = a.n + excluded.n
    RETURNING 1
  )
  INSERT INTO analytics_failures AS a (workspace_id, fingerprint, flow_id, bucket, code, message, block_type, n,
                                       first_seen, last_seen, sample_execution_ids)
  SELECT workspace_id, weft_failure_fingerprint(err_code, err_message, block_type), flow_id, bucket,
         coalesce(err_code, ''), weft_normalize_error(err_message), block_type, count(*),
         min(at), max(at), (array_agg(DISTINCT execution_id))[1:5]
    FROM scoped
   WHERE status = 'failed' AND sign = 1
   GROUP BY workspace_id, flow_id, bucket, coalesce(err_code, ''), weft_normalize_error(err_message), block_type,
            weft_failure_fingerprint(err_code, err_message, block_type)
  ON CONFLICT (workspace_id, bucket, fingerprint, flow_id) DO UPDATE SET
    n = a.n + excluded.n,
    first_seen = least(a.first_seen, excluded.first_seen),
    last_seen = greatest(a.last_seen, excluded.last_seen),
    sample_execution_ids = CASE WHEN cardinality(a.sample_execution_ids) >= 5 THEN a.sample_execution_ids
      ELSE (a.sample_execution_ids || ARRAY(SELECT x FROM unnest(excluded.sample_execution_ids) x
                                             WHERE x <> ALL (a.sample_execution_ids)))[1:5] END;

  -- A failed row that changed or went away (fix-and-continue, deletion): its failure groups are
  -- recomputed from the raw rows (first/last seen and samples cannot be taken back by subtraction).
  IF EXISTS (SELECT 1 FROM unnest(p_minus) r WHERE r.status = 'failed') THEN
    CREATE TEMP TABLE IF NOT EXISTS weft_failure_keys (workspace_id uuid, flow_id uuid, bucket timestamptz, fingerprint text) ON COMMIT DELETE ROWS;
    DELETE FROM weft_failure_keys;
    INSERT INTO weft_failure_keys
    SELECT DISTINCT r.workspace_id, e.flow_id, date_trunc('hour', coalesce(r.finished_at, r.started_at, r.created_at), 'UTC'),
           weft_failure_fingerprint(r.error->>'code', r.error->>'message', r.block_type)
      FROM unnest(p_minus) r JOIN flow_executions e ON e.id = r.execution_id
     WHERE r.status = 'failed' AND e.kind = 'flow';
    DELETE FROM analytics_failures a USING weft_failure_keys k
     WHERE a.workspace_id = k.workspace_id AND a.bucket = k.bucket AND a.fingerprint = k.fingerprint AND a.flow_id = k.flow_id;
    INSERT INTO analytics_failures (workspace_id, fingerprint, flow_id, bucket, code, message, block_type, n,
                                    first_seen, last_seen, sample_execution_ids)
    SELECT k.workspace_id, k.fingerprint, k.flow_id, k.bucket, coalesce(b.error->>'code', ''), weft_normalize_error(b.error->>'message'),
           b.block_type, count(*), min(coalesce(b.finished_at, b.started_at, b.created_at)),
           max(coalesce(b.finished_at, b.started_at, b.created_at)), (array_agg(DISTINCT e.id))[1:5]
      FROM weft_failure_keys k
      JOIN flow_executions e ON e.workspace_id = k.workspace_id AND e.flow_id = k.flow_id AND e.kind = 'flow'
      JOIN block_executions b ON b.execution_id = e.id AND b.status = 'failed'
     WHERE date_trunc('hour', coalesce(b.finished_at, b.started_at, b.created_at), 'UTC') = k.bucket
       AND weft_failure_fingerprint(b.error->>'code', b.error->>'message', b.block_type) = k.fingerprint
     GROUP BY k.workspace_id, k.fingerprint, k.flow_id, k.bucket, coalesce(b.error->>'code', ''),
              weft_normalize_error(b.error->>'message'), b.block_type;
  END IF;

  -- Decisions: one per completed AI block or router (test runs too, marked); inputs and AI outputs over
  -- 16 kB are replaced by a summary.
  INSERT INTO decisions (workspace_id, flow_id, flow_version_id, execution_id, node_id, iteration, kind, is_test, input, output,
                         route, model, latency_ms, tokens_in, tokens_out, cost_usd, created_at)
  SELECT r.workspace_id, e.flow_id, e.flow_version_id, r.execution_id, r.node_id, r.iteration, r.block_type, e.kind = 'test',
         weft_capped_json(r.input),
         CASE WHEN r.block_type = 'router' THEN jsonb_build_object('handle', r.output->'handle') ELSE weft_capped_json(r.output) END,
         CASE WHEN r.block_type = 'router' THEN r.output->>'handle' END,
         nullif(weft_block_model(r.block_type, r.output, e.graph, r.node_id), ''),
         r.duration_ms, r.tokens_in, r.tokens_out, r.cost_usd, coalesce(r.finished_at, now())
    FROM unnest(p_plus) r JOIN flow_executions e ON e.id = r.execution_id
   WHERE r.status = 'completed' AND r.block_type IN ('ai', 'router')
  ON CONFLICT (execution_id, node_id, iteration) DO NOTHING;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_capped_json(v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR octet_length(v::text) <= 16384 THEN v
    ELSE jsonb_build_object('_summary', jsonb_build_object('bytes', octet_length(v::text), 'preview', left(v::text, 2000))) END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_block_executions_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE status IN ('completed', 'failed')) THEN
    PERFORM weft_block_rows_changed(ARRAY(SELECT ROW(r.*)::block_executions FROM new_rows r WHERE r.status IN ('completed', 'failed')), '{}');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_block_executions_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE status IN ('completed', 'failed'))
     OR EXISTS (SELECT 1 FROM old_rows WHERE status IN ('completed', 'failed')) THEN
    PERFORM weft_block_rows_changed(ARRAY(SELECT ROW(r.*)::block_executions FROM new_rows r WHERE r.status IN ('completed', 'failed')),
                                    ARRAY(SELECT ROW(r.*)::block_executions FROM old_rows r WHERE r.status IN ('completed', 'failed')));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_block_executions_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows WHERE status IN ('completed', 'failed')) THEN
    PERFORM weft_block_rows_changed('{}', ARRAY(SELECT ROW(r.*)::block_executions FROM old_rows r WHERE r.status IN ('completed', 'failed')));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER weft_block_executions_inserted AFTER INSERT ON block_executions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_block_executions_inserted();
--> statement-breakpoint
CREATE TRIGGER weft_block_executions_updated AFTER UPDATE ON block_executions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_block_executions_updated();
--> statement-breakpoint
CREATE TRIGGER weft_block_executions_deleted AFTER DELETE ON block_executions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_block_executions_deleted();
--> statement-breakpoint
-- Feedback rollups: decisions and verdicts per node, model and hour of the decision (tests left out).
CREATE OR REPLACE FUNCTION weft_decision_rows_changed(p_plus decisions[], p_minus decisions[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_node_hours AS a (workspace_id, flow_id, node_id, model, bucket, decisions, correct, incorrect, partial)
  SELECT d.workspace_id, d.flow_id, d.node_id, coalesce(d.model, ''), date_trunc('hour', d.created_at, 'UTC'),
         sum(d.sign), coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'correct'), 0),
         coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'incorrect'), 0), coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'partial'), 0)
    FROM (SELECT x.*, 1 AS sign FROM unnest(p_plus) x UNION ALL SELECT x.*, -1 AS sign FROM unnest(p_minus) x) d
   WHERE NOT d.is_test AND d.flow_id IS NOT NULL
   GROUP BY d.workspace_id, d.flow_id, d.node_id, coalesce(d.model, ''), date_trunc('hour', d.created_at, 'UTC')
  ON CONFLICT (workspace_id, bucket, flow_id, node_id, model) DO UPDATE SET
    decisions = a.decisions + excluded.decisions,
    correct = a.correct + excluded.correct,
    incorrect = a.incorrect + excluded.incorrect,
    partial = a.partial + excluded.partial;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_decisions_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM weft_decision_rows_changed(ARRAY(SELECT ROW(r.*)::decisions FROM new_rows r), '{}');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_decisions_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM weft_decision_rows_changed(ARRAY(SELECT ROW(r.*)::decisions FROM new_rows r), ARRAY(SELECT ROW(r.*)::decisions FROM old_rows r));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_decisions_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM weft_decision_rows_changed('{}', ARRAY(SELECT ROW(r.*)::decisions FROM old_rows r));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER weft_decisions_inserted AFTER INSERT ON decisions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_decisions_inserted();
--> statement-breakpoint
CREATE TRIGGER weft_decisions_updated AFTER UPDATE ON decisions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_decisions_updated();
--> statement-breakpoint
CREATE TRIGGER weft_decisions_deleted AFTER DELETE ON decisions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_decisions_deleted();
--> statement-breakpoint
-- Reading the rollups of a time range.
CREATE INDEX analytics_failures_workspace_fingerprint_idx ON analytics_failures (workspace_id, fingerprint);
