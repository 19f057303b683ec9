SELECT replace(userAgent, ' ', '_') AS ua,
       upper(awsRegion) AS region,
       substr(eventID, 1, 8) AS short_id,
       concat(eventSource, ':', eventName) AS action,
       eventSource || '/' || eventName AS action2,
       trim(userIdentity.userName) AS user_name,
       length(errorMessage) AS msg_len,
       regexp_replace(sourceIPAddress, '\.\d+$', '.0') AS subnet
FROM events
WHERE strpos(lower(eventName), 'delete') > 0
