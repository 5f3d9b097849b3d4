import { Result } from "antd";
import { useAuth } from "../auth/AuthContext";
import { useTranslation } from "react-i18next";

export default function Welcome() {
  const { me } = useAuth();
  const { t } = useTranslation();
  return <Result status="info" title={t("app.name")} subTitle={`${me?.username} · ${me?.role}`} />;
}
