console.log("native builds: pending")
