// SSH
