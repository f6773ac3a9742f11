CREATE TABLE "analytics_latency_spans" (
	"workspace_id" uuid NOT NULL,
	"span" smallint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"metric" smallint NOT NULL,
	"value" integer NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_latency_spans_workspace_id_span_bucket_flow_id_node_id_metric_value_pk" PRIMARY KEY("workspace_id","span","bucket","flow_id","node_id","metric","value") INCLUDE ("n")
);
--> statement-breakpoint
CREATE TABLE "analytics_node_spans" (
	"workspace_id" uuid NOT NULL,
	"span" smallint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"block_type" text DEFAULT '' NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(18, 8) DEFAULT '0' NOT NULL,
	"priced_calls" integer DEFAULT 0 NOT NULL,
	"unknown_cost_calls" integer DEFAULT 0 NOT NULL,
	"decisions" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"incorrect" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_node_spans_workspace_id_span_bucket_flow_id_node_id_model_pk" PRIMARY KEY("workspace_id","span","bucket","flow_id","node_id","model") INCLUDE ("block_type","runs","failures","tokens_in","tokens_out","cost_usd","priced_calls","unknown_cost_calls","decisions","correct","incorrect","partial")
);
--> statement-breakpoint
CREATE TABLE "analytics_node_stats" (
	"workspace_id" uuid NOT NULL,
	"span" smallint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"block_type" text DEFAULT '' NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(18, 8) DEFAULT '0' NOT NULL,
	"unknown_cost_calls" integer DEFAULT 0 NOT NULL,
	"decisions" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"incorrect" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	"duration_p50" integer,
	"duration_p95" integer,
	"ttft_p50" integer,
	CONSTRAINT "analytics_node_stats_workspace_id_span_bucket_flow_id_node_id_pk" PRIMARY KEY("workspace_id","span","bucket","flow_id","node_id") INCLUDE ("block_type","runs","failures","tokens_in","tokens_out","cost_usd","unknown_cost_calls","decisions","correct","incorrect","partial","duration_p50","duration_p95","ttft_p50")
);
--> statement-breakpoint
ALTER TABLE "analytics_latency_spans" ADD CONSTRAINT "analytics_latency_spans_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_node_spans" ADD CONSTRAINT "analytics_node_spans_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_node_stats" ADD CONSTRAINT "analytics_node_stats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The hourly rollups' keys carry their figures, so ranges are read by index-only scans (in key order).
ALTER TABLE "analytics_node_hours" DROP CONSTRAINT "analytics_node_hours_workspace_id_bucket_flow_id_node_id_model_pk";
--> statement-breakpoint
ALTER TABLE "analytics_node_hours" ADD CONSTRAINT "analytics_node_hours_workspace_id_bucket_flow_id_node_id_model_pk"
  PRIMARY KEY ("workspace_id", "bucket", "flow_id", "node_id", "model")
  INCLUDE ("block_type", "runs", "failures", "tokens_in", "tokens_out", "cost_usd", "priced_calls", "unknown_cost_calls", "decisions", "correct", "incorrect", "partial");
--> statement-breakpoint
ALTER TABLE "analytics_latency" DROP CONSTRAINT "analytics_latency_workspace_id_bucket_flow_id_node_id_metric_value_pk";
--> statement-breakpoint
ALTER TABLE "analytics_latency" ADD CONSTRAINT "analytics_latency_workspace_id_bucket_flow_id_node_id_metric_value_pk"
  PRIMARY KEY ("workspace_id", "bucket", "flow_id", "node_id", "metric", "value") INCLUDE ("n");
--> statement-breakpoint
-- Coarser rollup levels (analytics_node_spans, analytics_latency_spans) and the per-hour and per-day
-- figures (analytics_node_stats), kept by the same statement triggers as the hourly rollups of
-- drizzle/0004, in the same statement. A span of S hours starts at a multiple of S hours since the Unix
-- epoch (the 24-hour span is the UTC day); each span divides the next, so any hour range is its edge
-- hours plus a few aligned spans.
CREATE OR REPLACE FUNCTION weft_analytics_spans() RETURNS smallint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '{6,24,96,384,1536}'::smallint[] $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION weft_span_bucket(t timestamptz, span smallint) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_timestamp(floor(extract(epoch FROM t) / (span * 3600)) * span * 3600)
$$;
--> statement-breakpoint
-- Nearest-rank p50 and p95 of one histogram (span 1: analytics_latency; others: analytics_latency_spans);
-- n = 0 and null percentiles without samples.
CREATE OR REPLACE FUNCTION weft_latency_percentiles(p_workspace uuid, p_span smallint, p_bucket timestamptz, p_flow uuid, p_node text, p_metric smallint,
                                                    OUT n integer, OUT p50 integer, OUT p95 integer)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(max(c.total), 0)::integer,
         min(c.value) FILTER (WHERE c.cum >= 0.5 * c.total),
         min(c.value) FILTER (WHERE c.cum >= 0.95 * c.total)
    FROM (SELECT h.value, sum(h.n) OVER (ORDER BY h.value ROWS UNBOUNDED PRECEDING) AS cum, sum(h.n) OVER () AS total
            FROM (SELECT l.value, l.n FROM analytics_latency l
                   WHERE p_span = 1 AND l.workspace_id = p_workspace AND l.bucket = p_bucket AND l.flow_id = p_flow
                     AND l.node_id = p_node AND l.metric = p_metric AND l.n > 0
                  UNION ALL
                  SELECT l.value, l.n FROM analytics_latency_spans l
                   WHERE p_span <> 1 AND l.workspace_id = p_workspace AND l.span = p_span AND l.bucket = p_bucket
                     AND l.flow_id = p_flow AND l.node_id = p_node AND l.metric = p_metric AND l.n > 0) h) c
$$;
--> statement-breakpoint
-- Recomputes the analytics_node_stats rows (span 1 and 24) of the given node hours from the rollups.
CREATE OR REPLACE FUNCTION weft_node_stats_refresh(p_workspace uuid[], p_flow uuid[], p_node text[], p_hour timestamptz[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_workspace IS NULL OR cardinality(p_workspace) = 0 THEN
    RETURN;
  END IF;
  WITH targets AS (
    SELECT DISTINCT k.workspace_id, k.flow_id, k.node_id, s.span, weft_span_bucket(k.hour, s.span) AS bucket
      FROM unnest(p_workspace, p_flow, p_node, p_hour) AS k(workspace_id, flow_id, node_id, hour)
      CROSS JOIN (VALUES (1::smallint), (24::smallint)) AS s(span)
  ), computed AS (
    SELECT t.*, x.*, d.p50 AS duration_p50, d.p95 AS duration_p95, f.p50 AS ttft_p50
      FROM targets t
      CROSS JOIN LATERAL (
        SELECT coalesce(max(h.block_type), '') AS block_type, coalesce(sum(h.runs), 0)::integer AS runs,
               coalesce(sum(h.failures), 0)::integer AS failures, coalesce(sum(h.tokens_in), 0)::bigint AS tokens_in,
               coalesce(sum(h.tokens_out), 0)::bigint AS tokens_out, coalesce(sum(h.cost_usd), 0) AS cost_usd,
               coalesce(sum(h.unknown_cost_calls), 0)::integer AS unknown_cost_calls, coalesce(sum(h.decisions), 0)::integer AS decisions,
               coalesce(sum(h.correct), 0)::integer AS correct, coalesce(sum(h.incorrect), 0)::integer AS incorrect,
               coalesce(sum(h.partial), 0)::integer AS partial
          FROM (SELECT h.block_type, h.runs, h.failures, h.tokens_in, h.tokens_out, h.cost_usd, h.unknown_cost_calls, h.decisions, h.correct, h.incorrect, h.partial
                  FROM analytics_node_hours h
                 WHERE t.span = 1 AND h.workspace_id = t.workspace_id AND h.bucket = t.bucket AND h.flow_id = t.flow_id AND h.node_id = t.node_id
                UNION ALL
                SELECT h.block_type, h.runs, h.failures, h.tokens_in, h.tokens_out, h.cost_usd, h.unknown_cost_calls, h.decisions, h.correct, h.incorrect, h.partial
                  FROM analytics_node_spans h
                 WHERE t.span <> 1 AND h.workspace_id = t.workspace_id AND h.span = t.span AND h.bucket = t.bucket
                   AND h.flow_id = t.flow_id AND h.node_id = t.node_id) h
      ) x
      CROSS JOIN LATERAL weft_latency_percentiles(t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id, 0::smallint) d
      CROSS JOIN LATERAL weft_latency_percentiles(t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id, 1::smallint) f
  ), gone AS (
    DELETE FROM analytics_node_stats a USING computed c
     WHERE c.runs = 0 AND c.decisions = 0 AND a.workspace_id = c.workspace_id AND a.span = c.span AND a.bucket = c.bucket
       AND a.flow_id = c.flow_id AND a.node_id = c.node_id
    RETURNING 1
  )
  INSERT INTO analytics_node_stats AS a (workspace_id, span, bucket, flow_id, node_id, block_type, runs, failures, tokens_in, tokens_out, cost_usd,
                                         unknown_cost_calls, decisions, correct, incorrect, partial, duration_p50, duration_p95, ttft_p50)
  SELECT workspace_id, span, bucket, flow_id, node_id, block_type, runs, failures, tokens_in, tokens_out, cost_usd,
         unknown_cost_calls, decisions, correct, incorrect, partial, duration_p50, duration_p95, ttft_p50
    FROM computed WHERE runs <> 0 OR decisions <> 0
  ON CONFLICT (workspace_id, span, bucket, flow_id, node_id) DO UPDATE SET
    block_type = excluded.block_type, runs = excluded.runs, failures = excluded.failures, tokens_in = excluded.tokens_in,
    tokens_out = excluded.tokens_out, cost_usd = excluded.cost_usd, unknown_cost_calls = excluded.unknown_cost_calls,
    decisions = excluded.decisions, correct = excluded.correct, incorrect = excluded.incorrect, partial = excluded.partial,
    duration_p50 = excluded.duration_p50, duration_p95 = excluded.duration_p95, ttft_p50 = excluded.ttft_p50;
END;
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
  ), node_spans AS (
    INSERT INTO analytics_node_spans AS a (workspace_id, span, bucket, flow_id, node_id, model, block_type, runs, failures,
                                           tokens_in, tokens_out, cost_usd, priced_calls, unknown_cost_calls)
    SELECT workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, model, max(block_type),
           sum(sign), coalesce(sum(sign) FILTER (WHERE status = 'failed'), 0),
           coalesce(sum(sign * tokens_in), 0), coalesce(sum(sign * tokens_out), 0), coalesce(sum(sign * cost_usd), 0),
           coalesce(sum(sign) FILTER (WHERE tokens_in IS NOT NULL AND cost_usd IS NOT NULL), 0),
           coalesce(sum(sign) FILTER (WHERE tokens_in IS NOT NULL AND cost_usd IS NULL), 0)
      FROM scoped CROSS JOIN unnest(weft_analytics_spans()) AS s(span)
     GROUP BY workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, model
    ON CONFLICT (workspace_id, span, bucket, flow_id, node_id, model) DO UPDATE SET
      block_type = excluded.block_type,
      runs = a.runs + excluded.runs,
      failures = a.failures + excluded.failures,
      tokens_in = a.tokens_in + excluded.tokens_in,
      tokens_out = a.tokens_out + excluded.tokens_out,
      cost_usd = a.cost_usd + excluded.cost_usd,
      priced_calls = a.priced_calls + excluded.priced_calls,
      unknown_cost_calls = a.unknown_cost_calls + excluded.unknown_cost_calls
    RETURNING 1
  ), latency_spans AS (
    INSERT INTO analytics_latency_spans AS a (workspace_id, span, bucket, flow_id, node_id, metric, value, n)
    SELECT workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, m.metric, m.value, sum(sign)
      FROM scoped
      CROSS JOIN unnest(weft_analytics_spans()) AS s(span)
      CROSS JOIN LATERAL (VALUES (0::smallint, weft_ms_key(duration_ms)), (1::smallint, weft_ms_key(ttft_ms))) AS m(metric, value)
     WHERE m.value IS NOT NULL
     GROUP BY workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, m.metric, m.value
    ON CONFLICT (workspace_id, span, bucket, flow_id, node_id, metric, value) DO UPDATE SET n = a.n + excluded.n
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

  -- The hour and day figures of the nodes the statement touched.
  PERFORM weft_node_stats_refresh(array_agg(k.workspace_id), array_agg(k.flow_id), array_agg(k.node_id), array_agg(k.hour))
     FROM (SELECT DISTINCT r.workspace_id, e.flow_id, r.node_id, date_trunc('hour', coalesce(r.finished_at, r.started_at, r.created_at), 'UTC') AS hour
             FROM (SELECT * FROM unnest(p_plus) UNION ALL SELECT * FROM unnest(p_minus)) r
             JOIN flow_executions e ON e.id = r.execution_id
            WHERE e.kind = 'flow') k;

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
-- Feedback rollups: decisions and verdicts per node, model and hour of the decision (tests left out),
-- and the same over the coarser spans.
CREATE OR REPLACE FUNCTION weft_decision_rows_changed(p_plus decisions[], p_minus decisions[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH d AS (
    SELECT d.workspace_id, d.flow_id, d.node_id, coalesce(d.model, '') AS model, date_trunc('hour', d.created_at, 'UTC') AS bucket,
           sum(d.sign) AS decisions, coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'correct'), 0) AS correct,
           coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'incorrect'), 0) AS incorrect,
           coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'partial'), 0) AS partial
      FROM (SELECT x.*, 1 AS sign FROM unnest(p_plus) x UNION ALL SELECT x.*, -1 AS sign FROM unnest(p_minus) x) d
     WHERE NOT d.is_test AND d.flow_id IS NOT NULL
     GROUP BY d.workspace_id, d.flow_id, d.node_id, coalesce(d.model, ''), date_trunc('hour', d.created_at, 'UTC')
  ), hours AS (
    INSERT INTO analytics_node_hours AS a (workspace_id, flow_id, node_id, model, bucket, decisions, correct, incorrect, partial)
    SELECT workspace_id, flow_id, node_id, model, bucket, decisions, correct, incorrect, partial FROM d
    ON CONFLICT (workspace_id, bucket, flow_id, node_id, model) DO UPDATE SET
      decisions = a.decisions + excluded.decisions,
      correct = a.correct + excluded.correct,
      incorrect = a.incorrect + excluded.incorrect,
      partial = a.partial + excluded.partial
    RETURNING 1
  )
  INSERT INTO analytics_node_spans AS a (workspace_id, span, bucket, flow_id, node_id, model, decisions, correct, incorrect, partial)
  SELECT workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, model,
         sum(decisions), sum(correct), sum(incorrect), sum(partial)
    FROM d CROSS JOIN unnest(weft_analytics_spans()) AS s(span)
   GROUP BY workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, model
  ON CONFLICT (workspace_id, span, bucket, flow_id, node_id, model) DO UPDATE SET
    decisions = a.decisions + excluded.decisions,
    correct = a.correct + excluded.correct,
    incorrect = a.incorrect + excluded.incorrect,
    partial = a.partial + excluded.partial;

  PERFORM weft_node_stats_refresh(array_agg(k.workspace_id), array_agg(k.flow_id), array_agg(k.node_id), array_agg(k.hour))
     FROM (SELECT DISTINCT d.workspace_id, d.flow_id, d.node_id, date_trunc('hour', d.created_at, 'UTC') AS hour
             FROM (SELECT * FROM unnest(p_plus) UNION ALL SELECT * FROM unnest(p_minus)) d
            WHERE NOT d.is_test AND d.flow_id IS NOT NULL) k;
END;
$$;
--> statement-breakpoint
-- The levels of the rollups kept so far.
INSERT INTO analytics_node_spans (workspace_id, span, bucket, flow_id, node_id, model, block_type, runs, failures, tokens_in, tokens_out,
                                  cost_usd, priced_calls, unknown_cost_calls, decisions, correct, incorrect, partial)
SELECT h.workspace_id, s.span, weft_span_bucket(h.bucket, s.span), h.flow_id, h.node_id, h.model, max(h.block_type), sum(h.runs), sum(h.failures),
       sum(h.tokens_in), sum(h.tokens_out), sum(h.cost_usd), sum(h.priced_calls), sum(h.unknown_cost_calls), sum(h.decisions),
       sum(h.correct), sum(h.incorrect), sum(h.partial)
  FROM analytics_node_hours h CROSS JOIN unnest(weft_analytics_spans()) AS s(span)
 GROUP BY h.workspace_id, s.span, weft_span_bucket(h.bucket, s.span), h.flow_id, h.node_id, h.model;
--> statement-breakpoint
INSERT INTO analytics_latency_spans (workspace_id, span, bucket, flow_id, node_id, metric, value, n)
SELECT h.workspace_id, s.span, weft_span_bucket(h.bucket, s.span), h.flow_id, h.node_id, h.metric, h.value, sum(h.n)
  FROM analytics_latency h CROSS JOIN unnest(weft_analytics_spans()) AS s(span)
 WHERE h.n <> 0
 GROUP BY h.workspace_id, s.span, weft_span_bucket(h.bucket, s.span), h.flow_id, h.node_id, h.metric, h.value;
--> statement-breakpoint
SELECT weft_node_stats_refresh(array_agg(workspace_id), array_agg(flow_id), array_agg(node_id), array_agg(bucket))
  FROM (SELECT DISTINCT workspace_id, flow_id, node_id, bucket FROM analytics_node_hours) k;
