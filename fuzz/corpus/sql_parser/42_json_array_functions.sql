SELECT eventName,
       json_array_length(json_extract(eventJson, '$.resources')) AS n_resources,
       json_array_get(json_extract(eventJson, '$.resources'), 0) AS first_resource,
       json_array_contains(json_parse(element_at(requestParameters, 'actions')), 's3:GetObject') AS reads_s3,
       json_format(json_extract(eventJson, '$.userIdentity')) AS identity_json
FROM events
WHERE json_extract(eventJson, '$.resources') IS NOT NULL
