//! The server's signing keys, made once on first use and kept in the
//! database, so every replica signs and checks links alike and a restart
//! does not void the links in messages already sent.

use base64::Engine;
use rand::RngCore;

use crate::store::db;
use crate::store::Store;

impl Store {
    /// The 32-byte key named `name`, made on first use (the first replica
    /// to write it wins; the others read its key).
    pub async fn secret(&self, name: &str) -> Result<Vec<u8>, sqlx::Error> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        db::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(b64.encode(key))
        .bind(self.now().timestamp())
        .execute(&self.pool)
        .await?;
        let stored: String = db::query_scalar("SELECT value FROM server_secrets WHERE name = ?")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        b64.decode(stored)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}
