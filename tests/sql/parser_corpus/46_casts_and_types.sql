SELECT CAST(json_parse(element_at(requestParameters, 'tags')) AS map(varchar, varchar)) AS tags,
       CAST(json_extract(eventJson, '$.resources') AS array(row(arn varchar, type varchar))) AS res,
       TRY_CAST(element_at(requestParameters, 'durationSeconds') AS bigint) AS duration,
       CAST(eventTime AS date) AS day,
       CAST(readOnly AS varchar) AS ro,
       CAST('1.5' AS decimal(10, 2)) AS amount,
       CAST(eventTime AS timestamp(3) with time zone) AS ts
FROM events
