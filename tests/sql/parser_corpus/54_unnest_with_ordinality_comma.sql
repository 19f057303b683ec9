SELECT e.eventID, pos, res.arn
FROM events e, UNNEST(e.resources) WITH ORDINALITY AS u(res, pos)
WHERE pos = 1
