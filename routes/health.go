package routes

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 while the process is up.
//
//	@Summary		Liveness
//	@Description	200 while the process is up. Needs no API key.
//	@Tags			Operations
//	@ID				getHealthz
//	@Produce		json
//	@Success		200	{object}	map[string]string	"{\"status\": \"ok\"}"
//	@Router			/healthz [get]
func healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when the database answers and 503 when it does not.
// A Redis that is down leaves the gateway serving (rate limits fail open,
// idempotency uses the database), so it reports "degraded" with 200 and
// the load balancer keeps the instance. With scheduled backups it reports
// the last one's result and age, without changing the status: a failed
// backup is for the operator, not a reason to take the instance out.
//
//	@Summary		Readiness
//	@Description	200 when the database answers; "degraded" (still 200) when Redis is down and the gateway serves without it; 503 when the database is down. With scheduled backups (BILLBRIDGE_BACKUP_DIR) also backup (ok, failed or none yet) and backup_age_seconds (the newest backup's age), which leave the status as it is. Needs no API key.
//	@Tags			Operations
//	@ID				getReadyz
//	@Produce		json
//	@Success		200	{object}	map[string]any	"status ok or degraded, database ok, redis ok or down (only with Redis), backup and backup_age_seconds (only with scheduled backups)."
//	@Failure		503	{object}	map[string]string	"status unavailable, database down."
//	@Router			/readyz [get]
func (s *server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	body := gin.H{"status": "ok", "database": "ok"}
	status := http.StatusOK
	if err := s.deps.Store.Ping(ctx); err != nil {
		body["status"], body["database"], status = "unavailable", "down", http.StatusServiceUnavailable
	}
	if s.deps.CachePing != nil {
		body["redis"] = "ok"
		if err := s.deps.CachePing(ctx); err != nil {
			body["redis"] = "down"
			if status == http.StatusOK {
				body["status"] = "degraded"
			}
		}
	}
	if s.deps.BackupStatus != nil {
		age, ok := s.deps.BackupStatus()
		switch {
		case !ok:
			body["backup"] = "failed"
		case age < 0:
			body["backup"] = "none yet"
		default:
			body["backup"] = "ok"
		}
		if age >= 0 {
			body["backup_age_seconds"] = int64(age.Seconds())
		}
	}
	c.JSON(status, body)
}
