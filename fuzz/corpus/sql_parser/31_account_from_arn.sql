SELECT regexp_extract(userIdentity.arn, 'arn:aws:[a-z]+::(\d{12}):', 1) AS account,
       split_part(userIdentity.arn, '/', 2) AS role_or_user,
       count(*) AS calls
FROM events
WHERE userIdentity.arn IS NOT NULL
GROUP BY 1, 2
