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
-- One flow's hours or days, read by an index-only scan.
CREATE INDEX "analytics_node_stats_flow_idx" ON "analytics_node_stats" ("workspace_id", "flow_id", "span", "bucket")
  INCLUDE ("node_id", "block_type", "runs", "failures", "tokens_in", "tokens_out", "cost_usd", "unknown_cost_calls", "decisions", "correct",
           "incorrect", "partial", "duration_p50", "duration_p95", "ttft_p50");
--> statement-breakpoint
-- The rollup levels have no foreign key to workspaces (a check and a row lock per written row on the
-- commit path): they go with their workspace here.
CREATE OR REPLACE FUNCTION weft_workspace_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM analytics_node_spans a USING old_rows o WHERE a.workspace_id = o.id;
  DELETE FROM analytics_latency_spans a USING old_rows o WHERE a.workspace_id = o.id;
  DELETE FROM analytics_node_stats a USING old_rows o WHERE a.workspace_id = o.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER weft_workspace_deleted AFTER DELETE ON workspaces
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION weft_workspace_deleted();
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
  ), stats AS (
    INSERT INTO analytics_node_stats AS a (workspace_id, span, bucket, flow_id, node_id, block_type, runs, failures,
                                           tokens_in, tokens_out, cost_usd, unknown_cost_calls)
    SELECT workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id, max(block_type),
           sum(sign), coalesce(sum(sign) FILTER (WHERE status = 'failed'), 0),
           coalesce(sum(sign * tokens_in), 0), coalesce(sum(sign * tokens_out), 0), coalesce(sum(sign * cost_usd), 0),
           coalesce(sum(sign) FILTER (WHERE tokens_in IS NOT NULL AND cost_usd IS NULL), 0)
      FROM scoped CROSS JOIN (VALUES (1::smallint), (24::smallint)) AS s(span)
     GROUP BY workspace_id, s.span, weft_span_bucket(bucket, s.span), flow_id, node_id
    ON CONFLICT (workspace_id, span, bucket, flow_id, node_id) DO UPDATE SET
      block_type = greatest(a.block_type, excluded.block_type),
      runs = a.runs + excluded.runs,
      failures = a.failures + excluded.failures,
      tokens_in = a.tokens_in + excluded.tokens_in,
      tokens_out = a.tokens_out + excluded.tokens_out,
      cost_usd = a.cost_usd + excluded.cost_usd,
      unknown_cost_calls = a.unknown_cost_calls + excluded.unknown_cost_calls
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

  -- The percentiles of the hour and day histograms the statement touched, recomputed from them.
  WITH targets AS (
    SELECT DISTINCT r.workspace_id, e.flow_id, r.node_id, s.span,
           weft_span_bucket(date_trunc('hour', coalesce(r.finished_at, r.started_at, r.created_at), 'UTC'), s.span) AS bucket
      FROM (SELECT * FROM unnest(p_plus) UNION ALL SELECT * FROM unnest(p_minus)) r
      JOIN flow_executions e ON e.id = r.execution_id
      CROSS JOIN (VALUES (1::smallint), (24::smallint)) AS s(span)
     WHERE e.kind = 'flow'
  ), samples AS (
    SELECT t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id, l.metric, l.value, l.n
      FROM targets t
      JOIN analytics_latency l ON l.workspace_id = t.workspace_id AND l.bucket = t.bucket AND l.flow_id = t.flow_id AND l.node_id = t.node_id
     WHERE t.span = 1 AND l.n > 0
    UNION ALL
    SELECT t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id, l.metric, l.value, l.n
      FROM targets t
      JOIN analytics_latency_spans l ON l.workspace_id = t.workspace_id AND l.span = t.span AND l.bucket = t.bucket
                                    AND l.flow_id = t.flow_id AND l.node_id = t.node_id
     WHERE t.span <> 1 AND l.n > 0
  ), ranked AS (
    SELECT s.*, sum(s.n) OVER (PARTITION BY s.workspace_id, s.span, s.bucket, s.flow_id, s.node_id, s.metric ORDER BY s.value ROWS UNBOUNDED PRECEDING) AS cum,
           sum(s.n) OVER (PARTITION BY s.workspace_id, s.span, s.bucket, s.flow_id, s.node_id, s.metric) AS total
      FROM samples s
  ), computed AS (
    SELECT t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id,
           min(c.value) FILTER (WHERE c.metric = 0 AND c.cum >= 0.5 * c.total) AS duration_p50,
           min(c.value) FILTER (WHERE c.metric = 0 AND c.cum >= 0.95 * c.total) AS duration_p95,
           min(c.value) FILTER (WHERE c.metric = 1 AND c.cum >= 0.5 * c.total) AS ttft_p50
      FROM targets t
      LEFT JOIN ranked c ON c.workspace_id = t.workspace_id AND c.span = t.span AND c.bucket = t.bucket AND c.flow_id = t.flow_id AND c.node_id = t.node_id
     GROUP BY t.workspace_id, t.span, t.bucket, t.flow_id, t.node_id
  )
  UPDATE analytics_node_stats a SET duration_p50 = p.duration_p50, duration_p95 = p.duration_p95, ttft_p50 = p.ttft_p50
    FROM computed p
   WHERE a.workspace_id = p.workspace_id AND a.span = p.span AND a.bucket = p.bucket AND a.flow_id = p.flow_id AND a.node_id = p.node_id;

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

  INSERT INTO analytics_node_stats AS a (workspace_id, span, bucket, flow_id, node_id, decisions, correct, incorrect, partial)
  SELECT d.workspace_id, s.span, weft_span_bucket(date_trunc('hour', d.created_at, 'UTC'), s.span), d.flow_id, d.node_id,
         sum(d.sign), coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'correct'), 0),
         coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'incorrect'), 0), coalesce(sum(d.sign) FILTER (WHERE d.feedback = 'partial'), 0)
    FROM (SELECT x.*, 1 AS sign FROM unnest(p_plus) x UNION ALL SELECT x.*, -1 AS sign FROM unnest(p_minus) x) d
    CROSS JOIN (VALUES (1::smallint), (24::smallint)) AS s(span)
   WHERE NOT d.is_test AND d.flow_id IS NOT NULL
   GROUP BY d.workspace_id, s.span, weft_span_bucket(date_trunc('hour', d.created_at, 'UTC'), s.span), d.flow_id, d.node_id
  ON CONFLICT (workspace_id, span, bucket, flow_id, node_id) DO UPDATE SET
    decisions = a.decisions + excluded.decisions,
    correct = a.correct + excluded.correct,
    incorrect = a.incorrect + excluded.incorrect,
    partial = a.partial + excluded.partial;
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
INSERT INTO analytics_node_stats (workspace_id, span, bucket, flow_id, node_id, block_type, runs, failures, tokens_in, tokens_out, cost_usd,
                                  unknown_cost_calls, decisions, correct, incorrect, partial)
SELECT workspace_id, span, bucket, flow_id, node_id, max(block_type), sum(runs), sum(failures), sum(tokens_in), sum(tokens_out), sum(cost_usd),
       sum(unknown_cost_calls), sum(decisions), sum(correct), sum(incorrect), sum(partial)
  FROM (SELECT 1::smallint AS span, h.* FROM analytics_node_hours h
        UNION ALL
        SELECT 24::smallint, workspace_id, flow_id, node_id, model, bucket, block_type, runs, failures, tokens_in, tokens_out, cost_usd, priced_calls,
               unknown_cost_calls, decisions, correct, incorrect, partial
          FROM analytics_node_spans WHERE span = 24) x
 GROUP BY workspace_id, span, bucket, flow_id, node_id;
--> statement-breakpoint
UPDATE analytics_node_stats a SET duration_p50 = p.duration_p50, duration_p95 = p.duration_p95, ttft_p50 = p.ttft_p50
  FROM (SELECT workspace_id, span, bucket, flow_id, node_id,
               min(value) FILTER (WHERE metric = 0 AND cum >= 0.5 * total) AS duration_p50,
               min(value) FILTER (WHERE metric = 0 AND cum >= 0.95 * total) AS duration_p95,
               min(value) FILTER (WHERE metric = 1 AND cum >= 0.5 * total) AS ttft_p50
          FROM (SELECT h.*, sum(h.n) OVER (PARTITION BY h.workspace_id, h.span, h.bucket, h.flow_id, h.node_id, h.metric ORDER BY h.value ROWS UNBOUNDED PRECEDING) AS cum,
                       sum(h.n) OVER (PARTITION BY h.workspace_id, h.span, h.bucket, h.flow_id, h.node_id, h.metric) AS total
                  FROM (SELECT workspace_id, 1::smallint AS span, bucket, flow_id, node_id, metric, value, n FROM analytics_latency WHERE n > 0
                        UNION ALL
                        SELECT workspace_id, span, bucket, flow_id, node_id, metric, value, n FROM analytics_latency_spans WHERE span = 24 AND n > 0) h) c
         GROUP BY workspace_id, span, bucket, flow_id, node_id) p
 WHERE a.workspace_id = p.workspace_id AND a.span = p.span AND a.bucket = p.bucket AND a.flow_id = p.flow_id AND a.node_id = p.node_id;
