// The differential test's queries (see differential.mjs): each runs on trailbook (`sql`) and
// on DuckDB (`duckdb`, when its spelling must differ; else the same text) over the same
// generated CloudTrail data, and the answers must be identical. `ordered: true` compares rows
// in order (the ORDER BY is a total order); otherwise rows are compared as sorted multisets.
//
// Semantic differences between trailbook (Trino / CloudTrail Lake) and DuckDB, and how each
// query here accounts for them:
// - Free-form objects: trailbook has requestParameters, responseElements and
//   additionalEventData as map(varchar, varchar) and resources as array(row(...)); DuckDB's
//   table (bench/duckdb/events_table.mjs) holds them as JSON. element_at(m, 'k') is
//   json_extract_string(m, '$.k') in DuckDB; UNNEST over resources needs from_json there.
// - day_of_week: Trino's is ISO (Monday = 1); DuckDB's dayofweek has Sunday = 0, so DuckDB
//   uses isodow.
// - date_diff: Trino counts whole units elapsed; DuckDB counts unit boundaries crossed. The
//   DuckDB side uses epoch arithmetic for a whole-hours difference.
// - Integer division: Trino's bigint / bigint truncates; DuckDB's / gives a double, // is
//   integer division.
// - greatest/least: Trino returns NULL when any argument is NULL; DuckDB skips NULLs. The
//   query here passes only non-NULL arguments (tests/sql/functions_casts_conditionals.test
//   covers the NULL case).
// - approx_distinct: trailbook counts exactly; DuckDB's is an estimate, so the DuckDB side
//   is count(DISTINCT).
// - regexp_like is a search in both (RE2 in both).
// - Doubles are compared after rounding to 12 significant digits (summation order differs
//   between parallel plans).
export const queries = [
  // Filters and three-valued logic.
  { name: 'count_all', sql: `SELECT count(*) AS n FROM events` },
  { name: 'filter_eq', sql: `SELECT count(*) AS n FROM events WHERE eventSource = 's3.amazonaws.com'` },
  { name: 'filter_in_not_in', sql: `SELECT count(*) AS a, count(*) FILTER (WHERE awsRegion NOT IN ('us-east-1', 'eu-west-1')) AS b FROM events WHERE eventName IN ('GetObject', 'PutObject', 'HeadObject', 'ListBuckets')` },
  { name: 'filter_like', sql: `SELECT count(*) AS n FROM events WHERE userAgent LIKE '%Boto3%' AND eventName NOT LIKE 'Describe%'` },
  { name: 'filter_between_time', sql: `SELECT count(*) AS n FROM events WHERE eventTime BETWEEN TIMESTAMP '2026-10-03 00:00:00' AND TIMESTAMP '2026-10-04 12:00:00'` },
  { name: 'filter_string_time', sql: `SELECT count(*) AS n FROM events WHERE eventTime >= '2026-10-05 00:00:00' AND eventTime < '2026-10-06'` },
  { name: 'nulls_is_null', sql: `SELECT count(*) AS total, count(errorCode) AS with_error, count(*) FILTER (WHERE errorCode IS NULL) AS no_error, count(*) FILTER (WHERE userIdentity.accessKeyId IS NOT NULL) AS with_key FROM events` },
  { name: 'three_valued_not', sql: `SELECT count(*) AS n FROM events WHERE NOT (errorCode = 'AccessDenied')` },
  { name: 'three_valued_or', sql: `SELECT count(*) AS n FROM events WHERE errorCode = 'AccessDenied' OR readOnly` },
  { name: 'distinct_from', sql: `SELECT count(*) AS n FROM events WHERE errorCode IS DISTINCT FROM 'AccessDenied'` },
  { name: 'struct_navigation', sql: `SELECT userIdentity.sessionContext.sessionIssuer.userName AS issuer, count(*) AS n FROM events WHERE userIdentity.type = 'AssumedRole' GROUP BY 1 ORDER BY n DESC, issuer LIMIT 10`, ordered: true },
  // Group by, aggregates, having, distinct, order by.
  { name: 'group_by_source', sql: `SELECT eventSource, count(*) AS n, count(DISTINCT eventName) AS names FROM events GROUP BY eventSource` },
  { name: 'group_by_two_keys_having', sql: `SELECT awsRegion, userIdentity.type AS t, count(*) AS n FROM events GROUP BY awsRegion, userIdentity.type HAVING count(*) > 100` },
  { name: 'group_by_expression', sql: `SELECT date(eventTime) AS d, count(*) AS n FROM events GROUP BY date(eventTime) ORDER BY d`, duckdb: `SELECT CAST(eventTime AS DATE) AS d, count(*) AS n FROM events GROUP BY CAST(eventTime AS DATE) ORDER BY d`, ordered: true },
  { name: 'group_by_date_trunc', sql: `SELECT date_trunc('hour', eventTime) AS h, count(*) AS n FROM events WHERE eventTime < '2026-10-03' GROUP BY 1` },
  { name: 'min_max_sum_avg', sql: `SELECT min(eventTime) AS lo, max(eventTime) AS hi, sum(CASE WHEN readOnly THEN 1 ELSE 0 END) AS reads, avg(length(eventName)) AS avg_len FROM events` },
  { name: 'count_distinct_by_key', sql: `SELECT userIdentity.accessKeyId AS k, count(DISTINCT sourceIPAddress) AS ips FROM events WHERE userIdentity.accessKeyId IS NOT NULL GROUP BY 1 ORDER BY ips DESC, k LIMIT 20`, ordered: true },
  { name: 'approx_distinct_exact', sql: `SELECT approx_distinct(sourceIPAddress) AS n FROM events`, duckdb: `SELECT count(DISTINCT sourceIPAddress) AS n FROM events` },
  { name: 'max_by_min_by', sql: `SELECT eventSource, max_by(eventID, eventTime) AS last_id, min_by(eventID, eventTime) AS first_id FROM events WHERE eventSource IN ('iam.amazonaws.com', 'sts.amazonaws.com') GROUP BY eventSource` },
  { name: 'select_distinct', sql: `SELECT DISTINCT awsRegion, recipientAccountId FROM events` },
  { name: 'order_by_nulls', sql: `SELECT errorCode, count(*) AS n FROM events GROUP BY errorCode ORDER BY errorCode NULLS FIRST`, ordered: true },
  { name: 'order_by_desc_limit', sql: `SELECT eventTime, eventID FROM events ORDER BY eventTime DESC, eventID LIMIT 25`, ordered: true },
  // Strings, JSON, maps, regexes, conditionals.
  { name: 'string_functions', sql: `SELECT lower(eventName) AS l, upper(substr(eventSource, 1, 3)) AS u, split_part(eventSource, '.', 1) AS svc, strpos(eventSource, 'amazonaws') AS p, length(eventName) AS len, count(*) AS n FROM events GROUP BY 1, 2, 3, 4, 5` },
  { name: 'concat_replace_trim', sql: `SELECT DISTINCT concat(awsRegion, '/', replace(eventSource, '.amazonaws.com', '')) || '!' AS s, trim('  ' || awsRegion || '  ') AS t FROM events` },
  { name: 'map_element_at', sql: `SELECT element_at(requestParameters, 'bucketName') AS bucket, count(*) AS n FROM events WHERE eventSource = 's3.amazonaws.com' GROUP BY 1`, duckdb: `SELECT json_extract_string(requestParameters, '$.bucketName') AS bucket, count(*) AS n FROM events WHERE eventSource = 's3.amazonaws.com' GROUP BY 1` },
  { name: 'json_extract_scalar', sql: `SELECT json_extract_scalar(eventJson, '$.userIdentity.type') AS t, count(*) AS n FROM events GROUP BY 1`, duckdb: `SELECT userIdentity.type AS t, count(*) AS n FROM events GROUP BY 1` },
  { name: 'regexp', sql: `SELECT regexp_extract(userIdentity.arn, ':(user|role|assumed-role)/', 1) AS kind, count(*) AS n FROM events WHERE regexp_like(userIdentity.arn, '^arn:aws:') GROUP BY 1`, duckdb: `SELECT CASE WHEN regexp_matches(userIdentity.arn, ':(user|role|assumed-role)/') THEN regexp_extract(userIdentity.arn, ':(user|role|assumed-role)/', 1) END AS kind, count(*) AS n FROM events WHERE regexp_matches(userIdentity.arn, '^arn:aws:') GROUP BY 1` },
  { name: 'case_coalesce_nullif', sql: `SELECT CASE WHEN errorCode IS NULL THEN 'ok' WHEN errorCode LIKE '%Denied%' THEN 'denied' ELSE 'error' END AS outcome, coalesce(nullif(userIdentity.type, 'AssumedRole'), 'role-session') AS who, count(*) AS n FROM events GROUP BY 1, 2` },
  { name: 'greatest_least', sql: `SELECT greatest(eventName, eventSource) AS g, least(awsRegion, 'm') AS l, count(*) AS n FROM events GROUP BY 1, 2` },
  { name: 'integer_arithmetic', sql: `SELECT length(eventName) / 4 AS bucket, length(eventName) % 4 AS r, count(*) * 2 - 1 AS m FROM events GROUP BY 1, 2`, duckdb: `SELECT length(eventName) // 4 AS bucket, length(eventName) % 4 AS r, count(*) * 2 - 1 AS m FROM events GROUP BY 1, 2` },
  // Time functions.
  { name: 'time_parts', sql: `SELECT hour(eventTime) AS h, day_of_week(eventTime) AS dow, count(*) AS n FROM events GROUP BY 1, 2`, duckdb: `SELECT hour(eventTime) AS h, isodow(eventTime) AS dow, count(*) AS n FROM events GROUP BY 1, 2` },
  { name: 'date_add_diff', sql: `SELECT eventSource, date_diff('hour', min(eventTime), max(eventTime)) AS span_hours, max(date_add('day', 1, eventTime)) AS next_day FROM events GROUP BY eventSource`, duckdb: `SELECT eventSource, (epoch(max(eventTime)) - epoch(min(eventTime)))::BIGINT // 3600 AS span_hours, max(eventTime + INTERVAL 1 DAY) AS next_day FROM events GROUP BY eventSource` },
  // Subqueries, CTEs, joins, set operations, unnest, windows.
  { name: 'subquery_in_from', sql: `SELECT t.src, t.n FROM (SELECT eventSource AS src, count(*) AS n FROM events GROUP BY eventSource) t WHERE t.n > 50` },
  { name: 'in_subquery', sql: `SELECT count(*) AS n FROM events WHERE sourceIPAddress IN (SELECT sourceIPAddress FROM events WHERE errorCode = 'AccessDenied')` },
  { name: 'cte_join', sql: `WITH denied AS (SELECT userIdentity.arn AS arn, count(*) AS d FROM events WHERE errorCode IS NOT NULL GROUP BY 1), total AS (SELECT userIdentity.arn AS arn, count(*) AS t FROM events GROUP BY 1) SELECT total.arn, t, d FROM total JOIN denied ON total.arn = denied.arn` },
  { name: 'left_join', sql: `WITH src AS (SELECT DISTINCT eventSource FROM events), s3 AS (SELECT eventSource, count(*) AS n FROM events WHERE readOnly = false GROUP BY eventSource) SELECT src.eventSource, s3.n FROM src LEFT JOIN s3 ON src.eventSource = s3.eventSource` },
  { name: 'union_all', sql: `SELECT eventName AS x FROM events WHERE eventName LIKE 'Create%' UNION ALL SELECT eventSource FROM events WHERE eventSource LIKE 'iam%'` },
  { name: 'union_distinct', sql: `SELECT awsRegion AS x FROM events UNION SELECT recipientAccountId FROM events` },
  { name: 'except_intersect', sql: `(SELECT eventName FROM events WHERE readOnly EXCEPT SELECT eventName FROM events WHERE errorCode IS NOT NULL) INTERSECT SELECT eventName FROM events WHERE awsRegion = 'us-east-1'` },
  { name: 'unnest_array', sql: `SELECT x, count(*) AS n FROM events CROSS JOIN UNNEST(ARRAY[awsRegion, eventSource]) AS t(x) WHERE eventName = 'GetObject' GROUP BY x`, duckdb: `SELECT x, count(*) AS n FROM events CROSS JOIN UNNEST([awsRegion, eventSource]) AS t(x) WHERE eventName = 'GetObject' GROUP BY x` },
  { name: 'unnest_resources', sql: `SELECT r.type AS type, count(*) AS n FROM events CROSS JOIN UNNEST(resources) AS t(r) GROUP BY 1`, duckdb: `SELECT json_extract_string(r, '$.type') AS type, count(*) AS n FROM events CROSS JOIN UNNEST(CAST(resources AS JSON[])) AS t(r) GROUP BY 1` },
  { name: 'window_row_number', sql: `SELECT * FROM (SELECT eventSource, eventID, row_number() OVER (PARTITION BY eventSource ORDER BY eventTime, eventID) AS rn FROM events) t WHERE rn <= 2` },
  { name: 'window_rank_count', sql: `SELECT eventSource, n, rank() OVER (ORDER BY n DESC) AS r, sum(n) OVER (PARTITION BY part) AS part_total FROM (SELECT eventSource, count(*) AS n, length(eventSource) % 3 AS part FROM events GROUP BY eventSource) t` },
  { name: 'window_count_partition', sql: `SELECT DISTINCT awsRegion, count(*) OVER (PARTITION BY awsRegion) AS n FROM events` },
];
