SELECT coalesce(userIdentity.userName, userIdentity.sessionContext.sessionIssuer.userName, 'unknown') AS who,
       nullif(errorCode, '') AS error_code,
       greatest(length(userAgent), 0) AS ua_length,
       least(eventTime, TIMESTAMP '2030-01-01 00:00:00') AS capped,
       CASE userIdentity.type
         WHEN 'IAMUser' THEN 'user'
         WHEN 'AssumedRole' THEN 'role'
         ELSE lower(userIdentity.type)
       END AS identity_kind
FROM events
